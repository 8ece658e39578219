import { assert, describe, it } from "@effect/vitest"
import * as Duration from "effect/Duration"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Credentials from "../src/Credentials.js"

describe("Credentials", () => {
  it("knows the configured accounts: username and password, and the one inside playlist_url", () => {
    const accounts = Credentials.configured({
      name: "p",
      playlistUrl: Option.some(Redacted.make("http://panel.example/get.php?username=urluser&password=urlpw&type=m3u_plus")),
      baseUrl: Option.none(),
      username: Option.some(Redacted.make("cfguser")),
      password: Option.some(Redacted.make("cfgpw")),
      maxConnections: 1,
      userAgent: Option.none(),
      denialsBeforeCooldown: 3,
      cooldown: Duration.minutes(10),
      maxCooldown: Duration.hours(6)
    })
    assert.deepStrictEqual(
      accounts.map((a) => [a.username, Redacted.value(a.password)]),
      [["cfguser", "cfgpw"], ["urluser", "urlpw"]]
    )
  })
})
