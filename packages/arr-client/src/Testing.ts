/**
 * Test support (`@stalkeer/arr-client/testing`, not the main entry): `FakeRadarr` and `FakeSonarr`, real HTTP
 * servers on 127.0.0.1 that answer like Radarr and Sonarr v3 over an in-memory library.
 */
export * as FakeRadarr from "./FakeRadarr.js"
export * as FakeSonarr from "./FakeSonarr.js"
