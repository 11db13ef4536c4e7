import fc from "fast-check";
import { afterAll, beforeAll, expect, test } from "vitest";
import { JANE, MORGAN, SAM } from "./helpers/ctx.ts";
import { describeEachStore, makeStoreCtx, type StoreTestCtx } from "./helpers/stores.ts";

// Words a worker might type, so random input often gets far into the grammar rather than failing on
// the first word: element words, commands, case ids (real and not), dates, numbers, notes, noise.
const vocabulary = fc.constantFrom(
  "/sos",
  "sos",
  "mapped-with-family",
  "mapped",
  "with",
  "family",
  "scale",
  "network",
  "meeting",
  "three-houses",
  "critical-worry",
  "undo",
  "case",
  "mine",
  "team",
  "stuck",
  "agency",
  "open",
  "assign",
  "close",
  "reopen",
  "help",
  "whoami",
  "12345",
  "12346",
  "22345",
  "99999",
  "#12345",
  "today",
  "yesterday",
  "tomorrow",
  "31/02/26",
  "6/1/16",
  "2016-02-30",
  "0",
  "11",
  "-3",
  "6.5",
  "--",
  "—",
  '"Ana Lee"',
  "“",
  "N",
  "PA",
  "safe-at-home",
  "@jane",
  "<@U0DEMOJANE>",
);
const input = fc.oneof(
  fc.array(vocabulary, { maxLength: 8 }).map((w) => w.join(" ")),
  fc.string({ maxLength: 60 }),
  fc.array(fc.oneof(vocabulary, fc.string({ maxLength: 8 })), { maxLength: 6 }).map((w) => w.join(" ")),
);

describeEachStore("any input", (kind) => {
  let t: StoreTestCtx;
  beforeAll(async () => {
    t = await makeStoreCtx(kind);
  });
  afterAll(() => t.close());

  test("random input never throws, always answers, and a refused command never writes", async () => {
    await fc.assert(
      fc.asyncProperty(input, fc.constantFrom(JANE, SAM, MORGAN), async (text, who) => {
        const before = await t.snapshot();
        const reply = await t.run(who, text);
        expect(reply.text.length).toBeGreaterThan(0);
        if (!reply.ok) expect(await t.snapshot()).toBe(before);
      }),
      { numRuns: 400, seed: 20261126 },
    );
  });

  test("read-only commands never write, whatever follows them", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("case", "mine", "team", "stuck", "agency", "whoami", "help"),
        fc.string({ maxLength: 30 }),
        async (cmd, rest) => {
          const before = await t.snapshot();
          await t.run(SAM, `${cmd} ${rest}`);
          expect(await t.snapshot()).toBe(before);
        },
      ),
      { numRuns: 200, seed: 7 },
    );
  });
});
