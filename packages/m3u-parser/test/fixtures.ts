import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { M3u } from "../src/index.js"
import type { M3uEvent } from "../src/PlaylistEntry.js"

export const encode = (text: string): Uint8Array => new TextEncoder().encode(text)

export const concat = (...parts: ReadonlyArray<Uint8Array | string>): Uint8Array => {
  const bytes = parts.map((p) => (typeof p === "string" ? encode(p) : p))
  const out = new Uint8Array(bytes.reduce((n, b) => n + b.length, 0))
  let offset = 0
  for (const b of bytes) {
    out.set(b, offset)
    offset += b.length
  }
  return out
}

/** Runs the Effect API over the given chunks and collects every event. */
export const events = (chunks: ReadonlyArray<Uint8Array>, options?: M3u.Options) =>
  Stream.fromIterable(chunks).pipe((s) => M3u.parse(s, options), Stream.runCollect, Effect.map(Chunk.toReadonlyArray))

export const eventsOf = (text: string | Uint8Array, options?: M3u.Options) =>
  events([typeof text === "string" ? encode(text) : text], options)

export const kinds = (events: ReadonlyArray<M3uEvent>) =>
  events.map((e) => (e._tag === "M3uWarning" ? `${e.kind}@${e.line}` : e._tag === "PlaylistEntry" ? `entry@${e.line}` : "header"))

/** A small playlist with every quirk the parser must survive. */
export const quirky = [
  "\uFEFF#EXTM3U url-tvg=\"http://h/xmltv.php?username=u&password=p\"",
  "#EXTINF:-1 tvg-id=\"bbc.uk\" tvg-name=\"|UK| BBC ONE\" tvg-logo=\"http://l/1.png\" group-title=\"UK| GENERAL\",|UK| BBC ONE",
  "http://h:8080/live/u/p/1.ts",
  "",
  "#EXTINF:-1 tvg-ID='Single' TVG-NAME=unquoted group-title=\"A, B: C=D\" tvg-name=\"dup\",Crazy, Stupid, Love.\r",
  "#EXTVLCOPT:http-user-agent=VLC/3.0\r",
  "#EXTVLCOPT:http-referrer=http://ref/\r",
  "#EXTGRP:Films\r",
  "http://h:8080/movie/u/p/2.mkv\r",
  "# a comment\r",
  "#EXTINF:0,No URL here",
  "#EXTINF:-1 tvg-name=\"Movie \"Nick\" Name\" group-title=\"Kids\",Movie \"Nick\" Name",
  "http://h/movie/u/p/3.mp4",
  "http://h/orphan/4",
  "#EXTINF:-1 tvg-name=\"Élan – ç’est 東京 🎬\" group-title=\"FR: FILMS - Action,  Aventure\",Élan",
  "http://h/series/u/p/5.mkv",
  "#EXTINF:-1 tvg-id=\"x\" tvg-name=\"Open tvg-logo=\"http://l/6.png\" group-title=\"G6\",Open",
  "http://h/6",
  "#EXTINF:-1 tvg-name=\"T7\" group-title=\"G7,Display 7",
  "http://h/7",
  "#EXTINF:-1,Last without URL"
].join("\n").replace("3.mp4\n", "3.mp4\r") + "\n" // line 13 ends with a lone CR
