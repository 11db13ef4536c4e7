import { afterAll, beforeAll, expect, test } from "vitest";
import { AH_HIN, JANE, MORGAN, ROBIN, SAM } from "./helpers/ctx.ts";
import { makeStoreCtx, PG_AVAILABLE, type StoreTestCtx } from "./helpers/stores.ts";

// The command layer cannot tell the stores apart: the same commands, in the same order, on SQLite
// and on PostgreSQL, give the same replies word for word (entry numbers included).
const SCRIPT: [string, string][] = [
  [JANE, "three-houses 12345 yesterday"],
  [JANE, "scale 12346 6 -- after the network meeting"],
  [JANE, "undo"],
  [SAM, "open 70001 Ana Lee 4 cp"],
  [SAM, `assign 70001 ${AH_HIN}`],
  [AH_HIN, "mapped-with-family 70001"],
  [SAM, "edit 12345 abuse N"],
  [SAM, "move 12346 voluntary"],
  [SAM, "close 12345 safe at home -- plan holding"],
  [SAM, "reopen 12345"],
  [JANE, "away 2016-03-07 2016-03-09"],
  [SAM, "snooze 12346 14"],
  [JANE, "case 12345"],
  [JANE, "mine"],
  [SAM, "team"],
  [SAM, "stuck"],
  [MORGAN, "agency"],
  [SAM, "audit 12345"],
  [ROBIN, "whoami"],
  [JANE, "help"],
];

let sqlite: StoreTestCtx;
let postgres: StoreTestCtx | undefined;
beforeAll(async () => {
  sqlite = await makeStoreCtx("sqlite");
  if (PG_AVAILABLE) postgres = await makeStoreCtx("postgres");
});
afterAll(async () => {
  await sqlite.close();
  await postgres?.close();
});

test.skipIf(!PG_AVAILABLE)("every command answers the same on both stores", async () => {
  const refused: string[] = [];
  for (const [who, text] of SCRIPT) {
    const a = await sqlite.run(who, text);
    const b = await postgres!.run(who, text);
    expect({ text, reply: b }).toEqual({ text, reply: a });
    if (!a.ok) refused.push(`${text}: ${a.text}`);
  }
  // Each step does what it says: the script is not a list of refusals compared with each other.
  expect(refused).toEqual([]);
});
