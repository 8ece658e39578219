import { assert, describe, it } from "@effect/vitest"
import * as Redacted from "effect/Redacted"
import { StreamUrl } from "../src/index.js"

const roundTrip = (url: string) => {
  const t = StreamUrl.toTemplate(url)
  assert.isNotNull(t.credentials)
  assert.strictEqual(StreamUrl.fromTemplate(t.template, t.credentials!), url)
  return t
}

describe("StreamUrl", () => {
  describe("Xtream shapes", () => {
    it("movie with port", () => {
      const t = roundTrip("http://provider.example:8080/movie/pQduQi5knY/k7uDmtx5JS/123.mkv")
      assert.strictEqual(t.key, "xtream:movie:123")
      assert.strictEqual(t.template, "http://provider.example:8080/movie/{username}/{password}/123.mkv")
      assert.strictEqual(t.base, "http://provider.example:8080")
      assert.strictEqual(t.streamType, "movie")
      assert.strictEqual(t.streamId, 123)
      assert.strictEqual(t.extension, "mkv")
      assert.strictEqual(t.credentials!.username, "pQduQi5knY")
      assert.strictEqual(Redacted.value(t.credentials!.password), "k7uDmtx5JS")
      assert.isFalse(t.hasSecrets)
    })

    it("series over https without port", () => {
      const t = roundTrip("https://cdn.example.com/series/user/pass/456.mp4")
      assert.strictEqual(t.key, "xtream:series:456")
      assert.strictEqual(t.base, "https://cdn.example.com")
      assert.strictEqual(t.template, "https://cdn.example.com/series/{username}/{password}/456.mp4")
      assert.strictEqual(t.extension, "mp4")
    })

    it("live .ts and .m3u8", () => {
      const ts = roundTrip("http://h:80/live/u/p/789.ts")
      assert.strictEqual(ts.key, "xtream:live:789")
      assert.strictEqual(ts.extension, "ts")
      const hls = roundTrip("http://h:80/live/u/p/789.m3u8")
      assert.strictEqual(hls.key, "xtream:live:789")
      assert.strictEqual(hls.extension, "m3u8")
    })

    it("bare live form", () => {
      const t = roundTrip("http://h.example:25461/u/p/789")
      assert.strictEqual(t.key, "xtream:live:789")
      assert.strictEqual(t.streamType, "live")
      assert.strictEqual(t.streamId, 789)
      assert.isNull(t.extension)
      assert.strictEqual(t.template, "http://h.example:25461/{username}/{password}/789")
    })

    it("the same stream gets the same key whatever the account or host", () => {
      const a = StreamUrl.toTemplate("http://a:1/movie/alice/secret1/42.mkv")
      const b = StreamUrl.toTemplate("https://b/movie/bob/secret2/42.mkv")
      assert.strictEqual(a.key, b.key)
    })

    it("a non-numeric id is not an Xtream shape", () => {
      const t = StreamUrl.toTemplate("http://h/movie/u/p/trailer.mkv")
      assert.isNull(t.streamType)
      assert.isNull(t.credentials)
      assert.strictEqual(t.template, "http://h/movie/u/p/trailer.mkv")
    })
  })

  it("userinfo", () => {
    const t = roundTrip("http://bob:s3cr%40t@media.example:8000/streams/a.m3u8?x=1")
    assert.strictEqual(t.template, "http://{username}:{password}@media.example:8000/streams/a.m3u8?x=1")
    assert.strictEqual(t.base, "http://media.example:8000")
    assert.strictEqual(t.credentials!.username, "bob")
    assert.strictEqual(Redacted.value(t.credentials!.password), "s3cr%40t")
    assert.strictEqual(t.key, t.template)
    assert.isNull(t.streamType)
  })

  it("query credentials, any case", () => {
    const t = roundTrip("http://h/get.php?Username=alice&PASSWORD=pw&type=m3u_plus#frag")
    assert.strictEqual(t.template, "http://h/get.php?Username={username}&PASSWORD={password}&type=m3u_plus#frag")
    assert.strictEqual(t.credentials!.username, "alice")
    assert.isFalse(t.hasSecrets)
    const short = roundTrip("http://h/x?user=a&pwd=b")
    assert.strictEqual(short.template, "http://h/x?user={username}&pwd={password}")
  })

  it("a token equal to the password is restorable, another secret is masked", () => {
    const same = roundTrip("http://h/x?username=a&password=b&token=b")
    assert.strictEqual(same.template, "http://h/x?username={username}&password={password}&token={password}")
    assert.isFalse(same.hasSecrets)
    const other = StreamUrl.toTemplate("http://h/x?api_key=abc123&id=4")
    assert.strictEqual(other.template, "http://h/x?api_key=***&id=4")
    assert.isTrue(other.hasSecrets)
    assert.isNull(other.credentials)
  })

  it("a URL without credentials comes back unchanged", () => {
    for (const url of ["http://h.example/a/b.m3u8", "https://h/path?x=1&y=2#z", "rtmp://h/live", "not a url", ""]) {
      const t = StreamUrl.toTemplate(url)
      assert.strictEqual(t.template, url)
      assert.strictEqual(t.key, url)
      assert.isNull(t.credentials)
      assert.strictEqual(StreamUrl.redact(url), url)
    }
  })

  it("fromTemplate keeps `$` in a password literal", () => {
    const url = "http://h/movie/u/pa$&ss/1.mkv"
    roundTrip(url)
  })

  it("redact never contains the credentials", () => {
    const cases: ReadonlyArray<readonly [string, ReadonlyArray<string>]> = [
      ["http://provider.example:8080/movie/pQduQi5knY/k7uDmtx5JS/123.mkv", ["pQduQi5knY", "k7uDmtx5JS"]],
      ["http://provider.example:8080/pQduQi5knY/k7uDmtx5JS/7", ["pQduQi5knY", "k7uDmtx5JS"]],
      ["http://bob:hunter2@h/a.ts", ["bob", "hunter2"]],
      ["http://h/xmltv.php?username=bob&password=hunter2", ["bob", "hunter2"]],
      ["http://h/a?token=T0K3N&key=K3Y", ["T0K3N", "K3Y"]]
    ]
    for (const [url, secrets] of cases) {
      const out = StreamUrl.redact(url)
      for (const secret of secrets) assert.notInclude(out, secret, out)
      assert.include(out, "***")
    }
    assert.strictEqual(
      StreamUrl.redact("http://provider.example:8080/movie/pQduQi5knY/k7uDmtx5JS/123.mkv"),
      "http://provider.example:8080/movie/***/***/123.mkv"
    )
  })
})
