export * as Tmdb from "./Tmdb.js"
export * as TmdbError from "./TmdbError.js"
export * as TmdbResponse from "./TmdbResponse.js"
