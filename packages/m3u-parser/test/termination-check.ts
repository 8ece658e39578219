/**
 * Termination and linear-time checks, run in a child process by `M3u.test.ts` (`vite-node`) so that a parser that
 * loops forever is killed by the parent's timeout instead of hanging the test run. Before each parse the input is
 * written to the progress file (argv[2]); the parent shows it when it has to kill us.
 *
 *   vite-node test/termination-check.ts <progress-file> [seed] [runs]
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { Chunk, Effect, FastCheck as fc, Stream } from "effect"
import { M3u } from "../src/index.js"
import type { M3uEvent } from "../src/PlaylistEntry.js"
import { parseM3u, streamM3u } from "../src/Promise.js"

const [progressFile = path.join(process.cwd(), ".termination-progress"), seedArg, runsArg] = process.argv.slice(2)
const seed = seedArg !== undefined ? Number(seedArg) : Date.now() % 1_000_000
const numRuns = runsArg !== undefined ? Number(runsArg) : 100
console.log(`seed ${seed}, ${numRuns} runs per property`)

/** Far above what a linear parse of these small inputs takes (well under a millisecond), far below a hang. */
const smallBoundMs = 1_000

const decoder = new TextDecoder()
const encoder = new TextEncoder()

const split = (bytes: Uint8Array, cuts: ReadonlyArray<number>): Array<Uint8Array> => {
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b)
  const chunks: Array<Uint8Array> = []
  let from = 0
  for (const cut of at) {
    chunks.push(bytes.subarray(from, cut))
    from = cut
  }
  chunks.push(bytes.subarray(from))
  return chunks
}

type Outcome =
  | { readonly ok: true; readonly events: ReadonlyArray<M3uEvent> }
  | { readonly ok: false; readonly reason: string }

const viaEffect = (chunks: ReadonlyArray<Uint8Array>): Promise<Outcome> =>
  M3u.parse(Stream.fromIterable(chunks)).pipe(
    Stream.runCollect,
    Effect.map((events): Outcome => ({ ok: true, events: Chunk.toReadonlyArray(events) })),
    Effect.catchAll((error) => Effect.succeed<Outcome>({ ok: false, reason: error.reason })),
    Effect.runPromise
  )

const viaStreamM3u = async (chunks: ReadonlyArray<Uint8Array>): Promise<Outcome> => {
  const events: Array<M3uEvent> = []
  try {
    async function* source() {
      yield* chunks
    }
    for await (const entry of streamM3u(source(), { onWarning: (w) => events.push(w) })) events.push(entry)
    return { ok: true, events }
  } catch (error) {
    return { ok: false, reason: (error as { reason: string }).reason }
  }
}

const viaParseM3u = (text: string): Outcome => {
  try {
    const { entries, header, warnings } = parseM3u(text)
    return { ok: true, events: [...(header ? [header] : []), ...entries, ...warnings] }
  } catch (error) {
    return { ok: false, reason: (error as { reason: string }).reason }
  }
}

const viaParseString = (text: string): Promise<Outcome> =>
  M3u.parseString(text).pipe(
    Effect.map(({ entries, header, warnings }): Outcome => ({
      ok: true,
      events: [...(header ? [header] : []), ...entries, ...warnings]
    })),
    Effect.catchAll((error) => Effect.succeed<Outcome>({ ok: false, reason: error.reason })),
    Effect.runPromise
  )

/** `streamM3u` yields no header; otherwise it gives the same events in the same order. */
const withoutHeader = (o: Outcome): Outcome => o.ok ? { ok: true, events: o.events.filter((e) => !M3u.isHeader(e)) } : o

const timed = async <A>(label: string, size: number, bound: number, run: () => A | Promise<A>): Promise<A> => {
  const start = performance.now()
  const result = await run()
  const ms = performance.now() - start
  if (ms > bound) throw new Error(`${label}: ${size} bytes took ${ms.toFixed(0)} ms (bound ${bound} ms)`)
  return result
}

/** Parses `bytes` through every API (both byte APIs with the given chunking), each under `bound` ms. */
const parseEverywhere = async (bytes: Uint8Array, cuts: ReadonlyArray<number>, bound = smallBoundMs) => {
  fs.writeFileSync(progressFile, bytes)
  const chunks = split(bytes, cuts)
  const text = decoder.decode(bytes)
  const whole = await timed("M3u.parse (one chunk)", bytes.length, bound, () => viaEffect([bytes]))
  const effect = await timed("M3u.parse (split)", bytes.length, bound, () => viaEffect(chunks))
  const promise = await timed("streamM3u (split)", bytes.length, bound, () => viaStreamM3u(chunks))
  const string = await timed("parseM3u", bytes.length, bound, () => viaParseM3u(text))
  const effectString = await timed("M3u.parseString", bytes.length, bound, () => viaParseString(text))
  // The chunking never changes the result, and both facades agree.
  if (JSON.stringify(effect) !== JSON.stringify(whole)) throw new Error("M3u.parse differs between chunkings")
  if (JSON.stringify(promise) !== JSON.stringify(withoutHeader(whole))) throw new Error("streamM3u differs")
  if (JSON.stringify(effectString) !== JSON.stringify(string)) throw new Error("parseString differs from parseM3u")
  return { whole, string }
}

// ---- inputs ----

const dangerous = fc.constantFrom(
  "#EXTINF:-1 ",
  "#EXTINF:",
  "#EXTM3U ",
  "#EXTVLCOPT:",
  "#KODIPROP:",
  "#EXTGRP:",
  "=",
  "\"",
  "'",
  ",",
  " ",
  "\t",
  "\r",
  "\n",
  "a",
  "b",
  "tvg-id",
  "http://h/",
  "|",
  "&",
  "%",
  "é"
)
const dangerousText = fc.array(dangerous, { maxLength: 200 }).map((parts) => parts.join(""))
const cuts = fc.array(fc.nat(), { maxLength: 6 })

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..")
const sample = fs.readFileSync(path.join(repoRoot, "examples/sample.m3u"), "utf8")

/** A small generated playlist in the shapes providers serve (Xtream, iptv-org, Kodi, VLC options). */
const generated = fc.array(
  fc.record({
    id: fc.nat(99_999),
    name: fc.string({ maxLength: 30 }),
    group: fc.constantFrom("UK| GENERAL", "FR: FILMS, Action", "Kids", ""),
    ua: fc.option(fc.constantFrom("VLC/3.0", "Mozilla/5.0 (X11; Linux)"), { nil: undefined }),
    style: fc.constantFrom("xtream", "kodi", "vlc", "bare")
  }),
  { maxLength: 15 }
).map((entries) =>
  "#EXTM3U url-tvg=\"http://h/epg.xml\"\n" + entries.map((e) => {
    const extinf = `#EXTINF:-1 tvg-id="${e.id}" tvg-name="${e.name}" group-title="${e.group}",${e.name}`
    const url = `http://h:8080/movie/u/p/${e.id}.mkv`
    switch (e.style) {
      case "xtream":
        return `${extinf}\n${url}`
      case "kodi":
        return `${extinf}\n#KODIPROP:inputstream=inputstream.adaptive\n${url}${e.ua ? `|User-Agent=${e.ua}` : ""}`
      case "vlc":
        return `${extinf}\n${e.ua ? `#EXTVLCOPT:http-user-agent=${e.ua}\n` : ""}${url}`
      case "bare":
        return url
    }
  }).join("\r\n") + "\n"
)

/** Random edits of a playlist: insert, delete or replace a short run at random places, with dangerous text. */
const mutated = (base: fc.Arbitrary<string>) =>
  fc.tuple(
    base,
    fc.array(fc.tuple(fc.nat(), fc.nat(8), fc.oneof(dangerousText.map((s) => s.slice(0, 12)), fc.string())), {
      minLength: 1,
      maxLength: 12
    })
  ).map(([text, edits]) => {
    let s = text
    for (const [at, remove, insert] of edits) {
      const i = at % (s.length + 1)
      s = s.slice(0, i) + insert + s.slice(i + remove)
    }
    return s
  })

const check = async <Ts>(name: string, property: fc.IAsyncProperty<Ts>) => {
  const start = performance.now()
  await fc.assert(property, { seed, numRuns })
  console.log(`ok ${name} (${(performance.now() - start).toFixed(0)} ms)`)
}

// ---- the checks ----

// 1. The inputs that used to loop forever.
const regressions = [
  "#EXTINF:-1 tvg-id =\"\" tvg-name=\"X\",X",
  "#EXTINF:-1 a = \"b\",N",
  "#EXTINF:-1 a\t=\"b\",N",
  "#EXTINF:-1 =b,N",
  "#EXTINF:-1  =\"x\",N"
]
for (const line of regressions) {
  for (const text of [line, `#EXTM3U\n${line}\nhttp://h/1\n`, `#EXTM3U ${line.slice(11)}\nhttp://h/1\n`]) {
    await parseEverywhere(encoder.encode(text), [3, 17])
  }
}
console.log("ok regressions")

// 2. Properties: arbitrary bytes, the dangerous alphabet, mutations of real and generated playlists.
await check(
  "arbitrary bytes",
  fc.asyncProperty(fc.boolean(), fc.uint8Array({ maxLength: 2_000 }), cuts, async (header, body, at) => {
    const bytes = header ? new Uint8Array([...encoder.encode("#EXTM3U\n"), ...body]) : body
    await parseEverywhere(bytes, at)
  })
)
await check(
  "dangerous alphabet",
  fc.asyncProperty(dangerousText, cuts, async (text, at) => {
    await parseEverywhere(encoder.encode(text), at)
    await parseEverywhere(encoder.encode(`#EXTM3U\n${text}`), at)
  })
)
await check(
  "mutated examples/sample.m3u",
  fc.asyncProperty(mutated(fc.constant(sample)), cuts, async (text, at) => {
    await parseEverywhere(encoder.encode(text), at)
  })
)
await check(
  "mutated generated playlists",
  fc.asyncProperty(mutated(generated), cuts, async (text, at) => {
    await parseEverywhere(encoder.encode(text), at)
  })
)

// 3. Linear time at scale: 4 MB of each shape that can make a scanner quadratic (one kind of line end only, lines
// full of quotes or `=`, invalid UTF-8 on every line). Linear, each parse takes well under a second even on a busy
// machine; the old CR-only scan took over 8 s. The two facades share the core, so one byte API and the string API.
const repeat = (unit: string, bytes: number) => unit.repeat(Math.ceil(bytes / unit.length))
const size = 4_000_000
const large: Array<[string, Uint8Array]> = [
  ["CR-only line ends", encoder.encode("#EXTM3U\r" + repeat("#EXTINF:-1 a=\"b\",N\rhttp://h/1\r", size))],
  ["LF-only line ends", encoder.encode("#EXTM3U\n" + repeat("#EXTINF:-1 a=\"b\",N\nhttp://h/1\n", size))],
  [
    "long lines of quotes and keys",
    encoder.encode("#EXTM3U\n" + repeat(`#EXTINF:-1 t="${repeat(" k=\"v\" x\" =\"", 60_000)},N\nhttp://h/1\n`, size))
  ],
  ["long lines of `=`", encoder.encode("#EXTM3U\n" + repeat(`#EXTINF:-1 ${repeat(" = =\"", 60_000)}\n`, size))],
  [
    "invalid UTF-8 on every line",
    new Uint8Array(
      Array.from({ length: size / 72 }, () => [...encoder.encode("#EXTINF:-1,"), 0xff, 10, ...encoder.encode("h://a\n")])
        .flat()
    )
  ]
]
const largeBoundMs = 5_000
for (const [name, bytes] of large) {
  fs.writeFileSync(progressFile, bytes.subarray(0, 1000))
  const start = performance.now()
  const half = bytes.length >> 1
  await timed(`streamM3u: ${name}`, bytes.length, largeBoundMs, () =>
    viaStreamM3u([bytes.subarray(0, half), bytes.subarray(half)]))
  const text = decoder.decode(bytes)
  await timed(`parseM3u: ${name}`, bytes.length, largeBoundMs, () => viaParseM3u(text))
  console.log(`ok linear: ${name} (${(bytes.length / 1e6).toFixed(1)} MB, ${(performance.now() - start).toFixed(0)} ms)`)
}
fs.rmSync(progressFile, { force: true })
console.log("done")
