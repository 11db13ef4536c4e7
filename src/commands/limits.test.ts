import { afterEach, expect, test } from "vitest";
import { JANE, makeTestCtx, SAM, type TestCtx } from "../../test/helpers/ctx.ts";
import { ECHO_MAX, MAX_LENGTH } from "./limits.ts";

let t: TestCtx;
afterEach(() => t?.close());

const stored = () =>
  t.ctx.store.sqlite
    .prepare("SELECT (SELECT count(*) FROM practice_events) + (SELECT count(*) FROM cases) AS n")
    .get();

test("a note past its maximum is refused, typed or from a form, and nothing is stored", async () => {
  t = makeTestCtx();
  const before = stored();
  const note = "x".repeat(MAX_LENGTH.note + 1);
  const typed = await t.run(JANE, `three-houses 12345 -- ${note}`);
  expect(typed.text).toBe(
    `That note is 2,001 characters long, and the most I take is 2,000. Nothing was stored: shorten it and send it again.`,
  );
  const built = await t.run(JANE, "", {
    command: { kind: "log", element: "three-houses", caseId: "12345", date: null, value: null, note },
  });
  expect(built.text).toBe(typed.text);
  expect(stored()).toEqual(before);
  expect((await t.run(JANE, `three-houses 12345 -- ${"x".repeat(MAX_LENGTH.note)}`)).ok).toBe(true);
});

test("a 900 KB command line is refused before it is read", async () => {
  t = makeTestCtx();
  const before = stored();
  const r = await t.run(JANE, `three-houses 12345 -- ${"y".repeat(900_000)}`);
  expect(r.issue?.code).toBe("too_long");
  expect(r.text).toMatch(/^That command is 900,022 characters long, and the most I take is 4,000\./);
  expect(stored()).toEqual(before);
});

test("a child's name past its maximum is refused, typed or from the form", async () => {
  t = makeTestCtx();
  const before = stored();
  const name = "A".repeat(MAX_LENGTH.childName + 1);
  const typed = await t.run(SAM, `open 90001 "${name}" 7 cp ${JANE}`);
  expect(typed.text).toBe(
    "That child's name is 121 characters long, and the most I take is 120. Nothing was stored: shorten it and send it again.",
  );
  const built = await t.run(SAM, "", {
    command: {
      kind: "open",
      caseId: "90001",
      childName: "B".repeat(100_000),
      age: 7,
      dob: null,
      service: "statutory-cp",
      abuse: [],
      openedOn: null,
      worker: JANE,
    },
  });
  expect(built.issue?.code).toBe("too_long");
  expect(stored()).toEqual(before);
});

test("an unknown word is said back cut short, with no suggestion for a pasted page", async () => {
  t = makeTestCtx();
  const word = "z".repeat(100_000 / 50);
  const r = await t.run(JANE, word);
  expect(r.issue).toMatchObject({ code: "unknown_word", suggestions: [] });
  expect(r.text).toBe(
    `I don't know "${"z".repeat(ECHO_MAX)}…". Type \`/sos help\` to see what you can type.`,
  );
});
