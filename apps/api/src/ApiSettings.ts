/** The settings the server was started with: handlers read the parts they need (which services are configured). */
import type { Settings } from "@stalkeer/config"
import * as Context from "effect/Context"

/** The configuration `Settings.load` returned. */
export interface ServerSettings extends Settings.Settings {}

export class ApiSettings extends Context.Tag("@stalkeer/api/ApiSettings")<ApiSettings, ServerSettings>() {}
