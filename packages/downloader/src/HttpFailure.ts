/**
 * What a failed HTTP exchange can say in a message without leaking: the system's error code, never the client's
 * message (it may quote the URL, and with it a credential in the query or path), and waits as a person reads them.
 */
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as Duration from "effect/Duration"

/** An errno-style code (`ECONNREFUSED`, `UND_ERR_SOCKET`…) from a client error's cause, if it has one. */
export const errorCode = (error: HttpClientError.HttpClientError): string | undefined => {
  const inner = error.cause
  if (typeof inner !== "object" || inner === null) return undefined
  const code = (inner as { code?: unknown; cause?: { code?: unknown } }).code ??
    (inner as { cause?: { code?: unknown } }).cause?.code
  return typeof code === "string" ? code : undefined
}

/** `250 ms`, `1.2 s`, `30 s`: a wait or a timeout in a message, not `1s 188ms 549909ns`. */
export const formatDuration = (duration: Duration.DurationInput): string => {
  const millis = Duration.toMillis(Duration.decode(duration))
  if (millis < 1000) return `${Math.round(millis)} ms`
  const seconds = millis / 1000
  return `${seconds >= 10 || Number.isInteger(seconds) ? Math.round(seconds) : seconds.toFixed(1)} s`
}
