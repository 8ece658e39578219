import { assert, describe, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
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

  describe("other Xtream routes", () => {
    it("hls serves the live channel: same key as /live/", () => {
      const t = roundTrip("http://h.example:8080/hls/pQduQi5knY/k7uDmtx5JS/4162/index.m3u8")
      assert.strictEqual(t.template, "http://h.example:8080/hls/{username}/{password}/4162/index.m3u8")
      assert.strictEqual(t.key, "xtream:live:4162")
      assert.strictEqual(t.key, StreamUrl.toTemplate("http://h.example:8080/live/a/b/4162.m3u8").key)
      assert.strictEqual(t.route, "hls")
      assert.strictEqual(t.streamType, "live")
      assert.strictEqual(t.streamId, 4162)
      assert.strictEqual(t.extension, "m3u8")
      const flat = roundTrip("http://h/hls/u/p/4162.m3u8")
      assert.strictEqual(flat.template, "http://h/hls/{username}/{password}/4162.m3u8")
      assert.strictEqual(flat.key, "xtream:live:4162")
      const segment = roundTrip("http://h/hls/u/p/4162/4162_17.ts")
      assert.strictEqual(segment.key, "xtream:live:4162")
      const deep = roundTrip("http://h/hls/u/p/4162/a/b/c.ts")
      assert.strictEqual(deep.template, "http://h/hls/{username}/{password}/4162/a/b/c.ts")
      assert.strictEqual(deep.key, "xtream:live:4162")
    })

    it("play: the token is masked, the key has its own namespace", () => {
      const t = StreamUrl.toTemplate("http://h.example/play/pQduQi5knY/k7uDmtx5JS/606.m3u8?token=9f8e7d6c5b4a")
      assert.strictEqual(t.template, "http://h.example/play/{username}/{password}/606.m3u8?token=***")
      assert.strictEqual(t.key, "xtream:play:606")
      assert.strictEqual(t.route, "play")
      assert.isNull(t.streamType)
      assert.strictEqual(t.streamId, 606)
      assert.isTrue(t.hasSecrets)
      assert.strictEqual(t.credentials!.username, "pQduQi5knY")
      assert.strictEqual(roundTrip("http://h/play/u/p/606").key, "xtream:play:606")
    })

    it("timeshift: one recording of a channel, its own key, round trip", () => {
      const url = "http://h.example:8080/timeshift/pQduQi5knY/k7uDmtx5JS/120/2024-01-01:20-00/4162.ts"
      const t = roundTrip(url)
      assert.strictEqual(
        t.template,
        "http://h.example:8080/timeshift/{username}/{password}/120/2024-01-01:20-00/4162.ts"
      )
      assert.strictEqual(t.key, "xtream:timeshift:4162/2024-01-01:20-00/120")
      assert.notStrictEqual(t.key, "xtream:live:4162")
      assert.notStrictEqual(
        t.key,
        StreamUrl.toTemplate("http://h.example:8080/timeshift/u/p/120/2024-01-02:20-00/4162.ts").key
      )
      assert.strictEqual(t.route, "timeshift")
      assert.strictEqual(t.streamType, "live")
      assert.strictEqual(t.streamId, 4162)
    })

    it("a route word with the wrong number of segments is not a route", () => {
      for (const url of ["http://h/hls/u/p", "http://h/play/u/p/x.m3u8", "http://h/timeshift/u/p/1.ts"]) {
        assert.isNull(StreamUrl.toTemplate(url).route, url)
      }
    })
  })

  describe("credential-like query keys", () => {
    it("bearer secrets and signatures are masked, whatever the spelling", () => {
      const keys = [
        "access_token", "Auth-Token", "client_secret", "sig", "X-Amz-Signature", "X-Amz-Security-Token",
        "wmsAuthSign", "hdnts", "jwt", "apiKey", "session_id", "refresh_token"
      ]
      for (const key of keys) {
        const t = StreamUrl.toTemplate(`http://h/a.m3u8?${key}=S3CR3TV4LU3&id=4`)
        assert.strictEqual(t.template, `http://h/a.m3u8?${key}=***&id=4`, key)
        assert.isTrue(t.hasSecrets, key)
      }
    })

    it("login and password spellings are restorable", () => {
      const t = roundTrip("http://h/x?login=alice&passwd=pw1&type=m3u")
      assert.strictEqual(t.template, "http://h/x?login={username}&passwd={password}&type=m3u")
    })

    it("ordinary keys are left alone: a value that tells streams apart stays in the key", () => {
      const url = "http://h/x?type=m3u_plus&output=ts&keyword=news&monkey=1&passage=2&keys=3&user_agent=VLC"
      assert.strictEqual(StreamUrl.toTemplate(url).template, url)
      const a = StreamUrl.toTemplate("http://h/stream?sid=0x1234&id=7&stream=7&channel=7&token=t1")
      const b = StreamUrl.toTemplate("http://h/stream?sid=0x1235&id=7&stream=7&channel=7&token=t2")
      assert.notStrictEqual(a.key, b.key)
    })

    it("a Stalker portal's MAC address is masked", () => {
      const t = StreamUrl.toTemplate("http://portal/play/live.php?mac=00:1A:79:00:00:01&stream=12&play_token=Zx9")
      assert.strictEqual(t.template, "http://portal/play/live.php?mac=***&stream=12&play_token=***")
    })

    it("the found credentials are cut from any other query value", () => {
      const t = roundTrip("http://h/live/alice/pw1234/5.ts?u=alice&check=pw1234")
      assert.strictEqual(t.template, "http://h/live/{username}/{password}/5.ts?u={username}&check={password}")
    })
  })

  describe("configured credentials", () => {
    const account = { username: "alice", password: Redacted.make("Secr3t!x") }

    it("are cut from any URL shape and the template restores it byte for byte", () => {
      const cases: ReadonlyArray<readonly [string, string]> = [
        ["http://h.example/stream/alice/Secr3t!x/1/master.m3u8", "http://h.example/stream/{username}/{password}/1/master.m3u8"],
        ["http://h.example/x.ts?u=alice&p=Secr3t!x", "http://h.example/x.ts?u={username}&p={password}"],
        ["http://h.example/x/alice-Secr3t!x.ts", "http://h.example/x/{username}-{password}.ts"],
        ["http://h.example/Secr3t!x", "http://h.example/{password}"]
      ]
      for (const [url, template] of cases) {
        assert.strictEqual(StreamUrl.toTemplate(url).template, url, "not recognised without configuration")
        const t = StreamUrl.toTemplate(url, account)
        assert.strictEqual(t.template, template)
        assert.strictEqual(StreamUrl.fromTemplate(t.template, account), url)
        assert.strictEqual(StreamUrl.redact(url, account), template.replace(/\{(?:username|password)\}/g, "***"))
      }
    })

    it("the host is not searched as a path segment, a URL without them is unchanged", () => {
      const url = "http://alice.example/live/x.m3u8?team=blue"
      assert.strictEqual(StreamUrl.toTemplate(url, account).template, "http://{username}.example/live/x.m3u8?team=blue")
      const clean = "http://h.example/a/b.m3u8?x=1"
      assert.strictEqual(StreamUrl.toTemplate(clean, account).template, clean)
      assert.strictEqual(StreamUrl.toTemplate(clean, account).key, clean)
    })

    it("short credentials: whole segments and values only, never inside other text", () => {
      const short = { username: "ab", password: Redacted.make("cd") }
      const t = StreamUrl.toTemplate("http://h/path/ab/cd/abc.ts?x=cd&y=acde", short)
      assert.strictEqual(t.template, "http://h/path/{username}/{password}/abc.ts?x={password}&y=acde")
      assert.strictEqual(StreamUrl.scrub("cannot read abc: cd failed", short), "cannot read abc: cd failed")
      assert.strictEqual(StreamUrl.protect("ab", short), "{username}")
      assert.strictEqual(StreamUrl.protect("Cable", short), "Cable")
    })

    it("percent-encoded forms, upper- and lower-case hex, as segments, values and substrings", () => {
      const odd = { username: "bob smith", password: Redacted.make("p@ss/w:rd") }
      const cases: ReadonlyArray<readonly [string, string]> = [
        ["http://h/a/p%40ss%2Fw%3Ard/b.ts", "http://h/a/{password}/b.ts"],
        ["http://h/a/p%40ss%2fw%3ard/b.ts", "http://h/a/{password}/b.ts"],
        ["http://h/a.ts?who=bob+smith&k=x", "http://h/a.ts?who={username}&k=x"],
        ["http://h/a.ts?sig=zz-bob%20smith-p%40ss%2Fw%3Ard", "http://h/a.ts?sig=***"],
        ["http://h/a/zz-bob%20smith-p%40ss%2Fw%3Ard.ts", "http://h/a/zz-{username}-{password}.ts"]
      ]
      for (const [url, template] of cases) {
        const t = StreamUrl.toTemplate(url, odd)
        assert.strictEqual(t.template, template, url)
        // What was cut is kept as written: the round trip holds with it.
        if (!t.hasSecrets) assert.strictEqual(StreamUrl.fromTemplate(t.template, t.credentials!), url)
      }
    })

    it("a `$` in a password is matched and restored literally", () => {
      const dollar = { username: "carol", password: Redacted.make("pa$$w$&rd") }
      const url = "http://h/stream/carol/pa$$w$&rd/7.ts"
      const t = StreamUrl.toTemplate(url, dollar)
      assert.strictEqual(t.template, "http://h/stream/{username}/{password}/7.ts")
      assert.strictEqual(StreamUrl.fromTemplate(t.template, dollar), url)
      assert.strictEqual(StreamUrl.protect("http://h/logo/pa$$w$&rd.png", dollar), "http://h/logo/{password}.png")
    })

    it("a credential that is a substring of a placeholder does not corrupt it", () => {
      const t = StreamUrl.toTemplate("http://h/movie/user/name/1.mkv", { username: "user", password: Redacted.make("name") })
      assert.strictEqual(t.template, "http://h/movie/{username}/{password}/1.mkv")
      const p = StreamUrl.toTemplate("http://h/a/b/word-pass/1.ts", { username: "word", password: Redacted.make("pass") })
      assert.strictEqual(p.template, "http://h/a/b/{username}-{password}/1.ts")
    })

    it("several accounts: the one in the URL becomes the placeholders, another one is masked", () => {
      const other = { username: "dave", password: Redacted.make("0therPw") }
      const t = StreamUrl.toTemplate("http://h/stream/dave/0therPw/1.ts", [account, other])
      assert.strictEqual(t.template, "http://h/stream/{username}/{password}/1.ts")
      assert.strictEqual(t.credentials!.username, "dave")
      assert.isFalse(t.hasSecrets)
      const both = StreamUrl.toTemplate("http://h/stream/dave/0therPw/1.ts?alt=alice", [account, other])
      assert.strictEqual(both.template, "http://h/stream/{username}/{password}/1.ts?alt=***")
      assert.isTrue(both.hasSecrets)
    })

    it("a one-argument call and null/undefined accounts behave as before", () => {
      const url = "http://h/stream/alice/Secr3t!x/1.ts"
      assert.deepStrictEqual(StreamUrl.toTemplate(url, [null, undefined]), StreamUrl.toTemplate(url))
      assert.deepStrictEqual(StreamUrl.toTemplate(url, null), StreamUrl.toTemplate(url))
    })
  })

  describe("protect (attribute values)", () => {
    const entry = StreamUrl.toTemplate("http://h/movie/pQduQi5knY/k7uDmtx5JS/1.mkv").credentials

    it("tvg-logo on the provider's image route keeps the placeholders of the entry's account", () => {
      assert.strictEqual(
        StreamUrl.protect("http://h/images/pQduQi5knY/k7uDmtx5JS/1.png", [entry]),
        "http://h/images/{username}/{password}/1.png"
      )
      // Without knowing the account, an unknown route cannot be recognised.
      assert.strictEqual(
        StreamUrl.protect("http://h/images/pQduQi5knY/k7uDmtx5JS/1.png"),
        "http://h/images/pQduQi5knY/k7uDmtx5JS/1.png"
      )
    })

    it("Xtream routes, userinfo and queries inside a value; text around them kept", () => {
      assert.strictEqual(
        StreamUrl.protect("http://h/timeshift/u1/p1/{duration}/{Y}-{m}-{d}:{H}-{M}/42.ts"),
        "http://h/timeshift/{username}/{password}/{duration}/{Y}-{m}-{d}:{H}-{M}/42.ts"
      )
      assert.strictEqual(
        StreamUrl.protect("see http://x:y@h/a.png and https://h/b?token=T0K3N."),
        "see http://{username}:{password}@h/a.png and https://h/b?token=***"
      )
      assert.strictEqual(StreamUrl.protect("/images/pQduQi5knY/k7uDmtx5JS/1.png", entry), "/images/{username}/{password}/1.png")
      assert.strictEqual(StreamUrl.protect("Movies | pQduQi5knY", entry), "Movies | {username}")
    })

    it("the placeholders stand for the first account: a different one in a value is masked", () => {
      assert.strictEqual(
        StreamUrl.protect("http://other:pw@h/a.png", [entry]),
        "http://***:***@h/a.png"
      )
    })

    it("ordinary values are unchanged", () => {
      for (const v of ["", "News", "http://logos.example/bbc.png", "?utc={utc}&lutc={lutc}", "shift"]) {
        assert.strictEqual(StreamUrl.protect(v, entry), v)
      }
    })
  })

  describe("scrub (free text)", () => {
    it("every URL inside is redacted, the configured account masked in the rest", () => {
      const account = { username: "alice", password: Redacted.make("Secr3t!x") }
      assert.strictEqual(
        StreamUrl.scrub("GET http://h/hls/alice/Secr3t!x/1/index.m3u8 failed: user alice, key Secr3t%21x", account),
        "GET http://h/hls/***/***/1/index.m3u8 failed: user ***, key ***"
      )
      assert.strictEqual(
        StreamUrl.scrub("fetch 'http://u:p@h/x?token=abc' refused"),
        "fetch 'http://***:***@h/x?token=***' refused"
      )
      assert.strictEqual(StreamUrl.scrub("no secret here"), "no secret here")
    })
  })

  it("maskTemplate shows where credentials go without them", () => {
    assert.strictEqual(
      StreamUrl.maskTemplate("http://h/movie/{username}/{password}/1.mkv?x={username}"),
      "http://h/movie/***/***/1.mkv?x=***"
    )
    assert.strictEqual(StreamUrl.maskTemplate("http://h/a.ts"), "http://h/a.ts")
  })

  describe("canary: a random account never survives", () => {
    const shapes: ReadonlyArray<readonly [string, (u: string, p: string) => string]> = [
      ["live", (u, p) => `http://h.example:8080/live/${u}/${p}/101.ts`],
      ["movie", (u, p) => `http://h.example:8080/movie/${u}/${p}/202.mkv`],
      ["series", (u, p) => `https://h.example/series/${u}/${p}/303.mp4`],
      ["bare live", (u, p) => `http://h.example:8080/${u}/${p}/404`],
      ["hls", (u, p) => `http://h.example:8080/hls/${u}/${p}/505/index.m3u8`],
      ["play", (u, p) => `http://h.example:8080/play/${u}/${p}/606.m3u8?token=${p}`],
      ["timeshift", (u, p) => `http://h.example:8080/timeshift/${u}/${p}/120/2024-01-01:20-00/707.ts`],
      ["userinfo", (u, p) => `http://${u}:${p}@h.example/a/b.ts`],
      ["query", (u, p) => `http://h.example/get.php?username=${u}&password=${p}&type=m3u_plus`]
    ]
    // Shapes only the configured account reveals.
    const configuredShapes: ReadonlyArray<readonly [string, (u: string, p: string) => string]> = [
      ...shapes,
      ["unknown route", (u, p) => `http://h.example/stream/${u}/${p}/1/master.m3u8`],
      ["other query keys", (u, p) => `http://h.example/x.ts?a=${u}&b=${p}`],
      ["inside a segment", (u, p) => `http://h.example/x/v.${u}.${p}.ts`]
    ]
    const account = fc.string({ minLength: 1, maxLength: 12 })
    const forms = (s: string) => [s, encodeURIComponent(s)]

    const check = (shape: (u: string, p: string) => string, configured: boolean, minLength: number) =>
      fc.assert(
        fc.property(account, account, (u, p) => {
          const skeleton = shape("{username}", "{password}")
          const masked = StreamUrl.maskTemplate(skeleton)
          fc.pre(u !== p && u.length >= minLength && p.length >= minLength)
          // A value that the fixed text of the shape holds anyway says nothing.
          fc.pre([...forms(u), ...forms(p)].every((s) => !skeleton.includes(s) && !masked.includes(s)))
          fc.pre(!u.includes(p) && !p.includes(u))
          const url = shape(encodeURIComponent(u), encodeURIComponent(p))
          const known = configured ? { username: u, password: Redacted.make(p) } : undefined
          const t = StreamUrl.toTemplate(url, known)
          assert.strictEqual(t.template, skeleton)
          assert.strictEqual(StreamUrl.fromTemplate(t.template, t.credentials!), url)
          const redacted = StreamUrl.redact(url, known)
          for (const s of [...forms(u), ...forms(p)]) {
            assert.notInclude(t.template, s)
            assert.notInclude(redacted, s)
          }
        }),
        { numRuns: 200 }
      )

    for (const [name, shape] of shapes) it(`${name}, recognised without configuration`, () => check(shape, false, 1))
    for (const [name, shape] of configuredShapes) {
      const minLength = name === "inside a segment" ? 4 : 1
      it(`${name}, with the configured account`, () => check(shape, true, minLength))
    }
  })
})
