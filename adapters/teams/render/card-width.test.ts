import { describe, expect, test } from "vitest";
import { longestPiecePx, type TextSize, textPx, unbreakable } from "./card-width.ts";

/** The definition longestPiecePx's one pass stands for: the pieces, each measured. */
const byPieces = (s: string, size: TextSize, bold: boolean) =>
  Math.max(0, ...unbreakable(s).map((w) => textPx(w, size, bold)));

describe("longestPiecePx", () => {
  const samples = [
    "",
    " ",
    "15/02/16",
    "3 times, last 15/02/16",
    "Participatory Conferences/Meetings including Network",
    "a/ b",
    "a/",
    "/a",
    "//x/9/y",
    "6/6 mapped",
    "tab\there\nnew line\u00a0nbsp\u2003em\u3000ideographic",
    "Zoë Ångström-Łukasz",
    "emoji 👩‍👧 🙂/ok",
    "WWW@%&mm  iii|||",
    "\u202fnarrow\u205fmath\ufeffbom",
  ];

  test("is the widest unbreakable piece, the same number as measuring each piece", () => {
    for (const s of samples)
      for (const size of ["Small", "Default", "Large"] as const)
        for (const bold of [false, true]) expect(longestPiecePx(s, size, bold)).toBe(byPieces(s, size, bold));
  });

  test("agrees on many generated cells of slashes, digits, spaces and letters", () => {
    const alphabet = ["a", "Z", "m", "i", "7", "/", " ", "-", "é", "\u00a0", "\t", "🙂", "*", ".", "W"];
    let seed = 12345;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    for (let n = 0; n < 2000; n++) {
      const s = Array.from({ length: next() % 24 }, () => alphabet[next() % alphabet.length]!).join("");
      expect(longestPiecePx(s, "Small", n % 2 === 0)).toBe(byPieces(s, "Small", n % 2 === 0));
    }
  });
});
