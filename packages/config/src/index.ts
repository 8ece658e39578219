export * as AppConfig from "./AppConfig.js"
export * as ConfigSource from "./ConfigSource.js"
export * as Paths from "./Paths.js"
export * as Settings from "./Settings.js"
