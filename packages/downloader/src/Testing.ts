/**
 * Test support (`@stalkeer/downloader/testing`, not the main entry): `FakeProvider`, a real HTTP server on 127.0.0.1
 * that serves VOD files like an Xtream panel, with its faults, and the expected content to compare against.
 */
export * as FakeProvider from "./FakeProvider.js"
