export * as M3u from "./M3u.js"
export * as M3uParseError from "./M3uParseError.js"
export * as PlaylistEntry from "./PlaylistEntry.js"
export * as StreamUrl from "./StreamUrl.js"
