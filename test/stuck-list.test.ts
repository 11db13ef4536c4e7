import { afterEach, expect, test } from "vitest";
import { STUCK_REPLY_LIMIT } from "../src/commands/defs/stuck.ts";
import { BIG, bigAgencyConfig, seedBigAgency } from "./helpers/big-agency.ts";
import { makeTestCtx, type TestCtx } from "./helpers/ctx.ts";

let t: TestCtx;
afterEach(() => t?.close());

test("a manager's agency-wide stuck list lists the longest stuck and says how many more, and where", async () => {
  t = makeTestCtx({ config: bigAgencyConfig(), demo: false, today: "2016-03-07" });
  seedBigAgency(t.ctx);
  const r = await t.run(BIG.manager, "stuck");
  expect(r.stuck!.items).toHaveLength(STUCK_REPLY_LIMIT);
  const more = r.stuck!.more!;
  expect(more.count).toBeGreaterThan(300);
  expect(r.text.split("\n")[0]).toBe(
    `Stuck cases in Large County Children's Services (${STUCK_REPLY_LIMIT + more.count})`,
  );
  expect(r.text).toContain(`…and ${more.count} more. Type \`/sos stuck <team name>\` for one team's`);
  const worst = r.stuck!.items.map((i) => Math.max(...i.findings.map((f) => f.days)));
  expect([...worst].sort((a, b) => b - a)).toEqual(worst);
});
