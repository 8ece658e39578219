import { assert, describe, it } from "@effect/vitest"
import * as Identify from "../src/Identify.js"

const film = (tmdbId: number, title: string, year: number | null, extra: Partial<Identify.Candidate> = {}): Identify.Candidate => ({
  tmdbId, title, originalTitle: title, year, popularity: 10, originCountry: [], aliases: [], ...extra
})

const verdict = (title: string, year: number | null, candidates: ReadonlyArray<Identify.Candidate>, kind: Identify.Kind = "movie") =>
  Identify.decide({ kind, title, year }, candidates)

const chosen = (v: Identify.Verdict) => v._tag === "Identified" ? v.best.candidate.tmdbId : v.status

const lionKing = [film(8587, "The Lion King", 1994, { popularity: 90 }), film(420818, "The Lion King", 2019, { popularity: 60 })]
const godfather = [
  film(238, "The Godfather", 1972, { aliases: ["Der Pate", "Le Parrain", "Il padrino"] }),
  film(240, "The Godfather Part II", 1974, { aliases: ["Der Pate 2", "Le Parrain, 2e partie"] }),
  film(242, "The Godfather Part III", 1990, { aliases: ["Der Pate 3"] })
]

describe("Identify", () => {
  it("a remake: the year decides; without a year the same title is ambiguous, whatever the popularity", () => {
    assert.strictEqual(chosen(verdict("The Lion King", 1994, lionKing)), 8587)
    assert.strictEqual(chosen(verdict("The Lion King", 2019, lionKing)), 420818)
    const none = verdict("The Lion King", null, lionKing)
    assert.strictEqual(chosen(none), "ambiguous")
    assert.isTrue(none._tag === "Refused" && none.reason === "ambiguous: 2 candidates within margin")
  })

  it("sequels differ by their number, in any language and numeral", () => {
    assert.strictEqual(chosen(verdict("Der Pate", 1972, godfather)), 238)
    assert.strictEqual(chosen(verdict("Der Pate 2", 1974, godfather)), 240)
    assert.strictEqual(chosen(verdict("The Godfather Part 3", 1990, godfather)), 242)
    assert.strictEqual(chosen(verdict("Der Pate", null, godfather)), 238)
    assert.strictEqual(Identify.nameSimilarity("Der Pate", "Der Pate 2"), 0.5)
  })

  it("numeric titles match only the same number", () => {
    const numeric = [film(530915, "1917", 2019), film(14161, "2012", 2009), film(1271, "300", 2007), film(1903, "3000 Miles to Graceland", 2001)]
    assert.strictEqual(chosen(verdict("1917", 2019, numeric)), 530915)
    assert.strictEqual(chosen(verdict("300", null, numeric)), 1271)
    assert.strictEqual(chosen(verdict("2012", 2009, numeric)), 14161)
  })

  it("a title known only in translation matches through the aliases", () => {
    const intouchables = [film(77338, "The Intouchables", 2011, { originalTitle: "Intouchables", aliases: ["Ziemlich beste Freunde", "Amigos intocables"] })]
    assert.strictEqual(chosen(verdict("Ziemlich beste Freunde", 2011, intouchables)), 77338)
    assert.strictEqual(chosen(verdict("Intouchables", 2011, intouchables)), 77338)
  })

  it("same-name series: a country qualifier or the year decides; a bare name is ambiguous", () => {
    const office = [
      film(2316, "The Office", 2005, { originCountry: ["US"], popularity: 200 }),
      film(2996, "The Office", 2001, { originCountry: ["GB"], popularity: 40 })
    ]
    assert.strictEqual(chosen(verdict("The Office (US)", null, office, "series")), 2316)
    assert.strictEqual(chosen(verdict("The Office US", null, office, "series")), 2316)
    assert.strictEqual(chosen(verdict("The Office (UK)", null, office, "series")), 2996)
    assert.strictEqual(chosen(verdict("The Office", 2001, office, "series")), 2996)
    assert.strictEqual(chosen(verdict("The Office", null, office, "series")), "ambiguous")
  })

  it("a year off by one is accepted (a regional release), further off is not", () => {
    const amelie = [film(194, "Amélie", 2001, { originalTitle: "Le Fabuleux Destin d'Amélie Poulain" })]
    assert.strictEqual(chosen(verdict("Le fabuleux destin d'Amélie Poulain", 2002, amelie)), 194)
    assert.strictEqual(chosen(verdict("Amélie", 2004, amelie)), "low-confidence")
  })

  it("a decoy sharing words is not the work; nothing close is not found; a weak match is low confidence", () => {
    const matrix = [film(603, "The Matrix", 1999, { popularity: 80 }), film(14543, "The Matrix Revisited", 2001, { popularity: 3 })]
    assert.strictEqual(chosen(verdict("The Matrix", null, matrix)), 603)
    assert.strictEqual(chosen(verdict("The Matrix Revisited", null, matrix)), 14543)
    assert.strictEqual(chosen(verdict("Heat", 1995, [])), "not-found")
    assert.strictEqual(chosen(verdict("Heat", 1995, [film(1, "Heat Wave", 1995)])), "low-confidence")
  })
})
