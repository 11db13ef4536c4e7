import { readFileSync } from "node:fs";
import { afterEach, expect, test } from "vitest";
import { teamDigestMessages } from "../../adapters/slack/render/blockkit-digest.ts";
import { teamDigestCards } from "../../adapters/teams/render/adaptive-card-digest.ts";
import { syncContext } from "../../src/app/context.ts";
import { DEMO_CONFIG } from "../../src/app/paths.ts";
import { dayClock } from "../../src/commands/clock.ts";
import { makeInvocation } from "../../src/commands/invocation.ts";
import { OPERATOR } from "../../src/commands/views.ts";
import { parseOrg } from "../../src/config/load.ts";
import { teamDigest } from "../../src/digest/team-digest.ts";
import { teamDigestText } from "../../src/digest/text.ts";
import { cardText } from "../helpers/cards.ts";
import { AH_HIN, ALISON, JANE, makeTestCtx, SAM, type TestCtx } from "../helpers/ctx.ts";

/**
 * People who leave the config are kept as inactive staff; the open cases they still hold are
 * nobody's now. The supervisor's digest asks for them to be reallocated, naming the people (never
 * the children), on every surface, quiet week or not.
 */

let t: TestCtx;
afterEach(() => t?.close());

/** The demo config without Ah Hin Xeng and Alison Camp (they left). */
const withoutLeavers = () =>
  parseOrg(
    readFileSync(DEMO_CONFIG, "utf8").replace(
      / {2}- email: ah\.hin\.xeng@[\s\S]*?(?= {2}- email: sam\.okafor@)/,
      "",
    ),
    "sos.config.yaml",
  );

async function leaversDigest(asOf: string) {
  t = makeTestCtx();
  for (const [id, who] of [
    ["12345", AH_HIN],
    ["22345", AH_HIN],
    ["32345", ALISON],
  ] as const)
    expect((await t.run(SAM, `assign ${id} ${who}`)).ok).toBe(true);
  // The config changes and the app starts again on the same database.
  const org = withoutLeavers();
  expect(org.staff.map((s) => s.email)).not.toContain(AH_HIN);
  const { ctx } = syncContext(org, t.ctx.store, dayClock("2016-03-01", org.agency.timeZone), {
    acceptStaffChanges: true,
  });
  return await teamDigest(makeInvocation(ctx, OPERATOR, "digest", "channel"), "north", {
    asOf,
    period: "2016-W09",
    late: false,
  });
}

const LINE =
  "3 open cases are allocated to people no longer in the config: reallocate them. Ah Hin Xeng (2), Alison Camp (1).";

test("the team digest asks the supervisor to reallocate the cases of people who left, by name, on every surface", async () => {
  const v = await leaversDigest("2016-03-01");
  expect(v.leavers).toEqual([
    { name: "Ah Hin Xeng", cases: 2 },
    { name: "Alison Camp", cases: 1 },
  ]);
  const text = teamDigestText(v);
  // Among the heading lines, before the tables.
  expect(text.split("\n").slice(0, 4)).toContain(LINE);
  const slack = JSON.stringify(teamDigestMessages(v)[0]!.blocks);
  expect(slack).toContain(`:warning: ${LINE}`);
  expect(cardText(teamDigestCards(v)[0])).toContain(LINE);
});

test("in a quiet week too", async () => {
  const v = await leaversDigest("2016-03-21");
  expect(v.quiet).toBe(true);
  expect(teamDigestText(v).split("\n").slice(0, 3)).toContain(LINE);
});

test("one case, one person: said in the singular; nobody gone, nothing said", async () => {
  t = makeTestCtx();
  const plain = teamDigestText(
    await teamDigest(makeInvocation(t.ctx, OPERATOR, "digest", "channel"), "north", {
      asOf: "2016-03-01",
      period: "2016-W09",
      late: false,
    }),
  );
  expect(plain).not.toContain("no longer in the config");
  expect((await t.run(SAM, `assign 12345 ${AH_HIN}`)).ok).toBe(true);
  expect((await t.run(JANE, "mapped-internal 12346")).ok).toBe(true);
  const org = withoutLeavers();
  const { ctx } = syncContext(org, t.ctx.store, dayClock("2016-03-01", org.agency.timeZone), {
    acceptStaffChanges: true,
  });
  const v = await teamDigest(makeInvocation(ctx, OPERATOR, "digest", "channel"), "north", {
    asOf: "2016-03-01",
    period: "2016-W09",
    late: false,
  });
  expect(teamDigestText(v)).toContain(
    "1 open case is allocated to someone no longer in the config: reallocate it. Ah Hin Xeng (1).",
  );
});
