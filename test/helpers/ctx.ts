import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Ctx, readContext, syncContext } from "../../src/app/context.ts";
import { DEMO_CONFIG } from "../../src/app/paths.ts";
import { type Clock, dayClock, manualClock } from "../../src/commands/clock.ts";
import { type CommandInput, runCommand } from "../../src/commands/run.ts";
import { loadOrg, parseOrg } from "../../src/config/load.ts";
import type { Org } from "../../src/config/org.ts";
import { loadDemoData } from "../../src/demo/load.ts";
import type { Actor } from "../../src/domain/access.ts";
import { openStore, type Store } from "../../src/store/open.ts";

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
 *
 * Migrating, syncing the staff and loading the demo's cases cost tens of milliseconds a test, and
 * most tests ask for the same database: that one is made once per test file, by the same code, and
 * each test gets its own copy of the file (see `madeOnce`). A test with a clock of its own gets a
 * database made afresh, since its clock may move between the sync and the demo's rows.
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
  const clock = opts.clock ?? dayClock(opts.today ?? "2016-03-01", org.agency.timeZone);
  const demo = opts.demo ?? opts.config === undefined;
  const made = opts.clock === undefined && typeof opts.config !== "object";
  const key = JSON.stringify([opts.config ?? DEMO_CONFIG, clock.now().toISOString(), demo]);
  let store: Store;
  let ctx: Ctx;
  if (made) {
    writeFileSync(
      dbPath,
      madeOnce(key, () => setUp(org, clock, demo)),
      { mode: 0o600, flag: "wx" },
    );
    store = openStore(dbPath);
    ctx = readContext(org, store, clock);
  } else {
    store = openStore(dbPath);
    ctx = setUpOn(store, org, clock, demo);
  }
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

/** Sync the config's agency and staff into an open store, and the demo's cases when asked: what a fresh test database holds. */
function setUpOn(store: Store, org: Org, clock: Clock, demo: boolean): Ctx {
  const { ctx } = syncContext(org, store, clock);
  if (demo) loadDemoData(ctx);
  return ctx;
}

/** The bytes of a database file set up as `setUpOn` does, made in a scratch folder and closed (its WAL folded in). */
function setUp(org: Org, clock: Clock, demo: boolean): Buffer {
  const dir = mkdtempSync(join(tmpdir(), "sos-test-template-"));
  try {
    const path = join(dir, "sos.db");
    const store = openStore(path);
    try {
      setUpOn(store, org, clock, demo);
    } finally {
      store.close();
    }
    // The last connection's close checkpoints the WAL into the file and removes it: the file is all.
    if (existsSync(`${path}-wal`)) throw new Error("the template database kept a WAL after closing");
    return readFileSync(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Database images by what made them (config, clock, demo), for this process: a test file's worker. */
const images = new Map<string, Buffer>();

function madeOnce(key: string, make: () => Buffer): Buffer {
  let image = images.get(key);
  if (image === undefined) {
    image = make();
    images.set(key, image);
  }
  return image;
}

export { manualClock };
