import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Ctx, syncContext } from "../../src/app/context.ts";
import { DEMO_CONFIG } from "../../src/app/paths.ts";
import { type Clock, dayClock, manualClock } from "../../src/commands/clock.ts";
import { type CommandInput, runCommand } from "../../src/commands/run.ts";
import { loadOrg, parseOrg } from "../../src/config/load.ts";
import type { Org } from "../../src/config/org.ts";
import { loadDemoData } from "../../src/demo/load.ts";
import type { Actor } from "../../src/domain/access.ts";
import { openStore } from "../../src/store/open.ts";

export interface TestCtx {
  readonly ctx: Ctx;
  readonly dir: string;
  readonly dbPath: string;
  /** the staff member with this email, as an actor (throws when unknown, to fail loudly) */
  as(email: string): Actor;
  /** runs one command as someone, privately, from the CLI surface unless told otherwise */
  run(email: string, text: string, extra?: Partial<CommandInput>): ReturnType<typeof runCommand>;
  close(): void;
}

export const JANE = "jane.smith@demo-agency.example";
export const AH_HIN = "ah.hin.xeng@demo-agency.example";
export const ALISON = "alison.camp@demo-agency.example";
export const SAM = "sam.okafor@demo-agency.example";
export const MORGAN = "morgan.reyes@demo-agency.example";
export const ROBIN = "robin.ellis@demo-agency.example";

/**
 * A real SQLite file in a fresh temp folder, migrations applied, the demo agency (or a given config)
 * and a clock standing on `today` (default 2016-03-01, a day after the seed's sample rows).
 */
export function makeTestCtx(
  opts: { config?: string | Org; today?: string; demo?: boolean; clock?: Clock } = {},
): TestCtx {
  const dir = mkdtempSync(join(tmpdir(), "sos-test-"));
  const dbPath = join(dir, "sos.db");
  const org =
    opts.config === undefined
      ? loadOrg(DEMO_CONFIG)
      : typeof opts.config === "string"
        ? parseOrg(opts.config, "test.config.yaml")
        : opts.config;
  const store = openStore(dbPath);
  const clock = opts.clock ?? dayClock(opts.today ?? "2016-03-01", org.agency.timeZone);
  const { ctx } = syncContext(org, store, clock);
  if (opts.demo ?? opts.config === undefined) loadDemoData(ctx);
  const as = (email: string) => {
    const a = ctx.people.byEmail(email);
    if (!a) throw new Error(`no staff ${email} in the test config`);
    return a;
  };
  return {
    ctx,
    dir,
    dbPath,
    as,
    run: (email, text, extra = {}) =>
      runCommand(ctx, { actor: as(email), text, surface: "cli", audience: "private", ...extra }),
    close() {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export { manualClock };
