/** The events group: the `Events` hub as a `text/event-stream` response. */
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Schedule from "effect/Schedule"
import * as Stream from "effect/Stream"
import { Api } from "../Api.js"
import { Events } from "../Events.js"

const encoder = new TextEncoder()

/** An event in SSE framing; JSON has no raw newlines, so `data:` is one line. */
export const frame = (event: { readonly type: string }): string => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`

export const keepAlive = ": keep-alive\n\n"

export const layer = HttpApiBuilder.group(Api, "events", (handlers) =>
  handlers.handle("stream", () =>
    Effect.gen(function*() {
      const events = yield* Events
      // The subscription lives as long as the response's stream: it ends when the client goes or the server stops.
      const body = Stream.unwrapScoped(Effect.map(events.subscribe, Stream.fromQueue)).pipe(
        Stream.map(frame),
        Stream.merge(Stream.fromSchedule(Schedule.spaced("15 seconds")).pipe(Stream.as(keepAlive)), { haltStrategy: "left" }),
        Stream.prepend(Chunk.of(`retry: 5000\n${keepAlive}`)),
        Stream.interruptWhenDeferred(events.closed),
        Stream.map((text) => encoder.encode(text))
      )
      return HttpServerResponse.stream(body, {
        contentType: "text/event-stream",
        headers: { "cache-control": "no-cache", "x-accel-buffering": "no" }
      })
    })))
