export * as ArrError from "./ArrError.js"
export * as ArrResponse from "./ArrResponse.js"
export * as Radarr from "./Radarr.js"
export * as Sonarr from "./Sonarr.js"
