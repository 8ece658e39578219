/**
 * The provider accounts the configuration knows, as `StreamUrl` takes them: ingest, dry runs and downloads cut them
 * out of every URL and text wherever they appear, beyond the URL shapes `StreamUrl` recognises on its own.
 */
import type { AppConfig } from "@stalkeer/config"
import { StreamUrl } from "@stalkeer/m3u-parser"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"

/** `username` + `password`, and the account inside `playlist_url`. */
export const configured = (p: AppConfig.Provider): ReadonlyArray<StreamUrl.StreamCredentials> => {
  const out: Array<StreamUrl.StreamCredentials> = []
  if (Option.isSome(p.username) && Option.isSome(p.password)) {
    out.push({ username: Redacted.value(p.username.value), password: p.password.value })
  }
  if (Option.isSome(p.playlistUrl)) {
    const found = StreamUrl.toTemplate(Redacted.value(p.playlistUrl.value)).credentials
    if (found !== null) out.push(found)
  }
  return out
}
