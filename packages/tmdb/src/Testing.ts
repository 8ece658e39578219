/**
 * Test support (`@stalkeer/tmdb/testing`, not the main entry): `FakeTmdb`, a real HTTP server on 127.0.0.1 that
 * answers like TMDB v3 over an in-memory world, with fault injection and a request log.
 */
export * as FakeTmdb from "./FakeTmdb.js"
