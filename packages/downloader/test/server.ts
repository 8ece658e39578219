/** A loopback server of one deterministic file, with faults queued for its next requests (tests of this package). */
import * as Effect from "effect/Effect"
import * as Http from "node:http"

/** Deterministic bytes that start like a Matroska file. */
export const content = (size: number, version = 1) => {
  const out = Buffer.alloc(size)
  let x = 0x9e3779b9 ^ version
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0
    out[i] = x >>> 24
  }
  out.set([0x1a, 0x45, 0xdf, 0xa3], 0)
  return out
}

export type Fault =
  | { readonly _tag: "CutAt"; readonly offset: number }
  | { readonly _tag: "IgnoreRange" }
  | { readonly _tag: "Html" }
  | { readonly _tag: "Placeholder" }
  | { readonly _tag: "Status"; readonly status: number }
  | { readonly _tag: "WrongStart"; readonly delta: number }
  | { readonly _tag: "Stall"; readonly afterBytes: number }
  | { readonly _tag: "Change" }

/** A loopback server for one file, with the faults queued for its next requests. */
export const server = (size: number) =>
  Effect.acquireRelease(
    Effect.async<{
      readonly url: string
      readonly faults: Array<Fault>
      readonly log: Array<{ range: string | undefined; status: number; ua: string | undefined }>
      readonly body: () => Buffer
      readonly close: () => void
    }>((resume) => {
      let version = 1
      let body = content(size, version)
      const faults: Array<Fault> = []
      const log: Array<{ range: string | undefined; status: number; ua: string | undefined }> = []
      const sockets = new Set<import("node:net").Socket>()
      const srv = Http.createServer((req, res) => {
        const fault = faults.shift()
        if (fault?._tag === "Change") body = content(size, ++version)
        const range = req.headers.range
        const send = (status: number, headers: Record<string, string | number>, bytes: Buffer, cutAt?: number) => {
          log.push({ range, status, ua: req.headers["user-agent"] })
          res.writeHead(status, headers)
          if (cutAt !== undefined) {
            res.write(bytes.subarray(0, cutAt), () => res.destroy())
            return
          }
          res.end(bytes)
        }
        if (fault?._tag === "Status") return send(fault.status, { "content-type": "text/html" }, Buffer.from("<html>no</html>"))
        if (fault?._tag === "Html") {
          return send(200, { "content-type": "application/octet-stream" }, Buffer.from("<!DOCTYPE html><html><body>debug: stream offline</body></html>"))
        }
        if (fault?._tag === "Placeholder") {
          const ts = Buffer.alloc(188 * 20)
          for (let i = 0; i < ts.length; i += 188) ts[i] = 0x47
          return send(200, { "content-type": "video/mp2t", "content-length": ts.length }, ts)
        }
        const start = range !== undefined && fault?._tag !== "IgnoreRange" ? Number(/bytes=(\d+)-/.exec(range)![1]) : 0
        if (start >= size) return send(416, { "content-range": `bytes */${size}` }, Buffer.alloc(0))
        const part = body.subarray(start)
        const headers: Record<string, string | number> = { "content-type": "video/x-matroska", "content-length": part.length }
        if (start > 0 || (range !== undefined && fault?._tag !== "IgnoreRange")) {
          const shown = fault?._tag === "WrongStart" ? start + fault.delta : start
          headers["content-range"] = `bytes ${shown}-${size - 1}/${size}`
        }
        const status = headers["content-range"] !== undefined ? 206 : 200
        if (fault?._tag === "Stall") {
          log.push({ range, status, ua: req.headers["user-agent"] })
          res.writeHead(status, headers)
          res.write(part.subarray(0, fault.afterBytes))
          return
        }
        send(status, headers, part, fault?._tag === "CutAt" ? fault.offset - start : undefined)
      })
      srv.on("connection", (socket) => {
        sockets.add(socket)
        socket.on("close", () => sockets.delete(socket))
      })
      srv.listen(0, "127.0.0.1", () => {
        const { port } = srv.address() as import("node:net").AddressInfo
        resume(Effect.succeed({
          url: `http://127.0.0.1:${port}/movie/user/CanaryPw/1.mkv`,
          faults,
          log,
          body: () => body,
          close: () => {
            for (const s of sockets) s.destroy()
            srv.close()
          }
        }))
      })
    }),
    (s) => Effect.sync(s.close)
  )

