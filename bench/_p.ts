import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dayClock } from "../src/app/clock.ts";
import { makeEnv } from "../src/commands/env.ts";
import { OPERATOR } from "../src/commands/views.ts";
import { agencySummary } from "../src/digest/agency-summary.ts";
import { teamDigest } from "../src/digest/team-digest.ts";
import { openStore } from "../src/store/open.ts";
import { SHAPE, syntheticContext, TODAY } from "./synthetic.ts";

const dir = mkdtempSync(join(tmpdir(), "sos-bench-"));
const dbPath = join(dir, "bench.db");
execFileSync(process.execPath, ["--import", "tsx", join(import.meta.dirname, "generate.ts"), dbPath]);
const store = openStore(dbPath);
const ctx = syntheticContext(store, dayClock(TODAY, "Europe/London"), SHAPE);
const env = makeEnv(ctx, OPERATOR, "digest", "channel");
for (let k = 0; k < 6; k++) {
  let t = performance.now();
  for (const tm of ctx.org.teams) teamDigest(env, tm.id, { asOf: TODAY, period: "p", late: false });
  const a = performance.now() - t;
  t = performance.now();
  agencySummary(env, { asOf: TODAY, period: "p", late: false });
  console.log("teams", a.toFixed(0), "agency", (performance.now() - t).toFixed(0));
}
