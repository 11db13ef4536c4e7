import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { SAM } from "./helpers/ctx.ts";
import { runSos } from "./helpers/sos-start.ts";
import { emptyPgDatabase, PG_AVAILABLE } from "./helpers/stores.ts";
import { type Recorder, startSlackRecorder } from "./slack/recorder.ts";

// `sos digest` and `sos export` as child processes on a PostgreSQL database and on a SQLite file
// holding the same records: what a person sees is the same on both. The demo config gives North Team
// a Slack channel; SLACK_API_URL points the Web API at a local recorder.
let dir: string;
let slack: Recorder;
let pgDb: { url: string; drop(): Promise<void> } | undefined;
let onPg: Record<string, string>;
let onFile: Record<string, string>;

const LINES = "open 70002 Bea 6 cp\nmapped-with-family 70002 12/02/16\nopen 70003 Cal 2 fs\n";

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "sos-pg-cli-digest-"));
  slack = await startSlackRecorder();
  const base = {
    SOS_TODAY: "2016-03-01",
    SLACK_BOT_TOKEN: "xoxb-test",
    SLACK_SIGNING_SECRET: "secret",
    SLACK_API_URL: slack.apiUrl,
  };
  onFile = { ...base, SOS_DB: join(dir, "same.db") };
  if (!PG_AVAILABLE) return;
  pgDb = await emptyPgDatabase();
  onPg = { ...base, SOS_DB: join(dir, "never.db"), DATABASE_URL: pgDb.url };
  for (const env of [onPg, onFile]) {
    expect((await runSos(dir, ["migrate"], env)).code).toBe(0);
    expect((await runSos(dir, ["chat", "--as", SAM], env, LINES)).code).toBe(0);
  }
}, 240_000);
afterAll(async () => {
  await pgDb?.drop();
  await slack.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The same call on both stores: PostgreSQL first, then the file. */
async function both(args: string[]) {
  return [await runSos(dir, args, onPg), await runSos(dir, args, onFile)] as const;
}

describe.skipIf(!PG_AVAILABLE)("sos digest on PostgreSQL (child processes)", () => {
  test("a dry run says what it says on the SQLite file, and records nothing", async () => {
    for (const ask of [
      ["digest", "run", "North Team", "--dry-run", "--at", "2016-02-29T08:00"],
      ["digest", "run", "agency", "--dry-run", "--at", "2016-02-29T08:00"],
      ["digest", "run", "nudges", "North Team", "--dry-run", "--at", "2016-03-14T09:00"],
    ]) {
      const [a, b] = await both(ask);
      expect(a.err, ask.join(" ")).toBe("");
      expect([a.code, a.out], ask.join(" ")).toEqual([b.code, b.out]);
    }
    const [dry] = await both(["digest", "run", "North Team", "--dry-run", "--at", "2016-02-29T08:00"]);
    expect(dry.out).toContain("--- North Team's digest for 2016-W09 (dry run: not posted, not recorded) ---");
    const [status] = await both(["digest", "status"]);
    expect(status.out).toMatch(/^No digests have run yet\.\n/);
  }, 240_000);

  test("a run posts once and is recorded in the ledger; status after it is the same on both", async () => {
    const ask = ["digest", "run", "North Team", "--at", "2016-02-29T08:00:00Z"];
    const pgRun = await runSos(dir, ask, onPg);
    expect(pgRun.err).toBe("");
    expect([pgRun.code, pgRun.out]).toEqual([
      0,
      "team north 2016-W09 · slack · C0DEMONORTH: posted, posted to C0DEMONORTH\n",
    ]);
    const posted = slack.of("chat.postMessage").length;
    const fileRun = await runSos(dir, ask, onFile);
    expect([fileRun.code, fileRun.out]).toEqual([pgRun.code, pgRun.out]);
    // The second run on PostgreSQL finds its ledger row: nothing posted twice.
    const again = await runSos(dir, ask, onPg);
    expect(again.out).toMatch(/: already, already posted \d\d\/\d\d\/16 \d\d:\d\d\. Use --force/);
    expect(slack.of("chat.postMessage")).toHaveLength(2 * posted);

    const [a, b] = await both(["digest", "status"]);
    expect(a.err).toBe("");
    expect([a.code, a.out]).toEqual([b.code, b.out]);
    expect(a.out).toMatch(/team +North Team +2016-W09 +slack +posted +(\d+)\/\1 +\1\n/);
    expect(a.out).toContain("Next scheduled (");
  }, 240_000);

  test("a digest for no such team is refused as on the file, and nothing is posted or recorded", async () => {
    const before = slack.calls.length;
    const [a, b] = await both(["digest", "run", "Nowhere Team", "--at", "2016-02-29T08:00:00Z"]);
    expect(a.code).toBe(2);
    expect(a.err).toContain('no team "Nowhere Team"');
    expect([a.code, a.out, a.err]).toEqual([b.code, b.out, b.err]);
    expect(slack.calls.length).toBe(before);
  }, 240_000);
});

describe.skipIf(!PG_AVAILABLE)("sos export on PostgreSQL (child processes)", () => {
  test("dashboard CSV, whiteboard HTML and PNG: the same files as from the SQLite file", async () => {
    for (const [format, file] of [
      ["csv", "agency.csv"],
      ["csv", "north.csv"],
      ["html", "north.html"],
      ["png", "north.png"],
    ] as const) {
      const ask = ["export", "--format", format, "--out", file];
      if (file.startsWith("north")) ask.push("--team", "North Team");
      const a = await runSos(dir, ask, onPg);
      expect(a.err, ask.join(" ")).toBe("");
      const fromPg = readFileSync(join(dir, file));
      const b = await runSos(dir, ask, onFile);
      expect([a.code, a.out], ask.join(" ")).toEqual([b.code, b.out]);
      expect(fromPg.equals(readFileSync(join(dir, file))), ask.join(" ")).toBe(true);
    }
    expect(readFileSync(join(dir, "agency.csv"), "utf8")).toContain("70002");
  }, 240_000);

  test("an export for no such team is refused as on the file, and no file is written", async () => {
    const [a, b] = await both(["export", "--team", "Nowhere", "--out", "none.csv"]);
    expect(a.code).toBe(2);
    expect(a.err).toContain("--team Nowhere: no such team.");
    expect([a.code, a.out, a.err]).toEqual([b.code, b.out, b.err]);
    expect(() => readFileSync(join(dir, "none.csv"))).toThrow();
  }, 240_000);
});
