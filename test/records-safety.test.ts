import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { boot } from "../src/app/boot.ts";
import { readContext } from "../src/app/context.ts";
import { DEMO_CONFIG } from "../src/app/paths.ts";
import { dayClock } from "../src/commands/clock.ts";
import { runCommand } from "../src/commands/run.ts";
import { loadOrg } from "../src/config/load.ts";
import { loadDemoData } from "../src/demo/load.ts";
import { openStore, type Store } from "../src/store/open.ts";
import { JANE } from "./helpers/ctx.ts";
import { demoWithout, OTHER_AGENCY_YAML, writeConfig } from "./helpers/demo-config.ts";
import { fingerprint } from "./helpers/files.ts";
import { runSos, SOS, type SosRun } from "./helpers/sos-start.ts";

// Issue 8, section 2, as the probe found it: `sos dashboard` with a forgotten SOS_CONFIG rewrote a
// real agency's staff. Every command here is a real `sos` child process on a real database file.
/** Each test spawns several `sos` processes on a shared 2-core machine: minutes, not seconds, to be safe. */
const SPAWNING = { timeout: 240_000 };

type Run = SosRun;

function sos(dir: string, args: string[], env: Record<string, string>, input = ""): Promise<Run> {
  return runSos(dir, args, { PORT: "0", ...env }, input);
}

/** A demo database with its seed cases, set up in this process (as `sos demo` would). */
function demoDb(dir: string): string {
  const db = join(dir, "sos.db");
  const b = boot({
    configPath: DEMO_CONFIG,
    dbPath: db,
    env: {},
    today: "2016-03-01",
    open: { mode: "setup", command: "demo" },
  });
  loadDemoData(b.ctx);
  b.ctx.store.close();
  return db;
}

const READ_ONLY: readonly (readonly string[])[] = [
  ["dashboard"],
  ["stuck"],
  ["digest", "status"],
  ["digest", "run", "North Team", "--dry-run"],
  ["export", "--format", "csv", "--out", "out.csv"],
  ["sync", "--dry-run"],
];

describe.concurrent("a wrong or forgotten config never rewrites the records", () => {
  test(
    "every read-only command, given another agency's config, is refused and leaves the files byte for byte",
    SPAWNING,
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "sos-wrong-read-"));
      try {
        const db = demoDb(dir);
        const other = writeConfig(join(dir, "northshire.yaml"), OTHER_AGENCY_YAML);
        const env = { SOS_DB: db, SOS_CONFIG: other };
        const files = readdirSync(dir);
        const before = fingerprint(db);
        for (const args of READ_ONLY) {
          const r = await sos(dir, [...args], env);
          expect({ args, code: r.code, out: r.out }).toEqual({ args, code: 2, out: "" });
          expect(r.err).toBe(
            "sos: sos.db belongs to Demo Family Services (agency id demo-family-services) but the config northshire.yaml is for Northshire Children's Services (agency id northshire), so nothing was changed: set SOS_CONFIG to that agency's config or SOS_DB to another database (the same agency under a new name keeps its records with agency.id: demo-family-services in the config).\n",
          );
          expect({ args, files: fingerprint(db) }).toEqual({ args, files: before });
        }
        for (const args of [["--help"], ["dashboard", "--help"]]) {
          const r = await sos(dir, args, env);
          expect(r.code).toBe(0);
          expect({ args, files: fingerprint(db) }).toEqual({ args, files: before });
        }
        expect(existsSync(join(dir, "out.csv"))).toBe(false);
        expect(readdirSync(dir)).toEqual(files);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  test(
    "read-only commands with the right config, beside a server holding the database open, leave its file and WAL alone",
    SPAWNING,
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "sos-right-read-"));
      let writer: Store | undefined;
      try {
        const db = demoDb(dir);
        // The running server: the database open for writing, a commit still in the WAL.
        writer = openStore(db);
        const org = loadOrg(DEMO_CONFIG);
        const ctx = readContext(org, writer, dayClock("2016-03-01", org.agency.timeZone));
        const actor = ctx.people.byEmail(JANE)!;
        expect(
          (
            await runCommand(ctx, {
              actor,
              text: "mapped-with-family 12345",
              surface: "cli",
              audience: "private",
            })
          ).ok,
        ).toBe(true);
        const before = fingerprint(db);
        expect(before.wal).not.toBe("absent");
        const env = { SOS_DB: db, SOS_TODAY: "2016-03-01" };
        for (const args of [...READ_ONLY, ["dashboard", "--worker", JANE]]) {
          const r = await sos(dir, [...args], env);
          expect({ args, code: r.code, err: r.err }).toEqual({ args, code: 0, err: "" });
          expect({ args, files: fingerprint(db) }).toEqual({ args, files: before });
        }
        // what the server wrote a moment ago is what they read
        const dash = await sos(dir, ["dashboard", "--worker", JANE, "--dashboard", "statutory-cp"], env);
        expect(dash.out.split("\n").find((l) => l.includes("12345"))).toContain("01/03/16");
      } finally {
        writer?.close();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  test("writing commands given another agency's config stop before writing anything", SPAWNING, async () => {
    const dir = mkdtempSync(join(tmpdir(), "sos-wrong-write-"));
    try {
      const db = demoDb(dir);
      const other = writeConfig(join(dir, "northshire.yaml"), OTHER_AGENCY_YAML);
      const env = { SOS_DB: db, SOS_CONFIG: other };
      const before = fingerprint(db);
      for (const [args, input] of [
        [["start"], ""],
        [["migrate"], ""],
        [["sync", "--accept-staff-changes"], ""],
        [["chat", "--as", "ann.admin@northshire.example"], 'open 90001 "Ana Lee" 4 cp\n'],
      ] as const) {
        const r = await sos(dir, [...args], env, input);
        expect({ args, code: r.code }).toEqual({ args, code: 2 });
        expect(r.err).toContain(
          "sos.db belongs to Demo Family Services (agency id demo-family-services) but the config northshire.yaml is for Northshire Children's Services (agency id northshire)",
        );
        expect({ args, files: fingerprint(db) }).toEqual({ args, files: before });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("sos demo refuses another agency's database, even one with no cases yet", SPAWNING, async () => {
    const dir = mkdtempSync(join(tmpdir(), "sos-demo-other-"));
    try {
      const db = join(dir, "sos.db");
      const other = writeConfig(join(dir, "northshire.yaml"), OTHER_AGENCY_YAML);
      boot({
        configPath: other,
        dbPath: db,
        env: {},
        open: { mode: "setup", command: "migrate" },
      }).ctx.store.close();
      const before = fingerprint(db);
      const r = await sos(dir, ["demo", "--db", db], {});
      expect(r.code).toBe(2);
      expect(r.err).toContain(
        "sos.db belongs to Northshire Children's Services (agency id northshire) but the config",
      );
      expect(fingerprint(db)).toEqual(before);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test(
    "start lists the people who left the config still holding open cases, and what the sync changed",
    SPAWNING,
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "sos-start-leavers-"));
      const db = demoDb(dir);
      const cfg = writeConfig(join(dir, "sos.config.yaml"), demoWithout([JANE]));
      const child = spawn(process.execPath, [SOS, "start"], {
        cwd: dir,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, SOS_DB: db, SOS_CONFIG: cfg, PORT: "0" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      try {
        let out = "";
        await new Promise<void>((res, rej) => {
          child.stdout.on("data", (b: Buffer) => {
            out += b;
            if (out.includes("Console:")) res();
          });
          child.once("exit", (code) => rej(new Error(`exited ${code}: ${out}`)));
        });
        const lines = out.split("\n");
        const at = lines.findIndex((l) => l.startsWith("Staff:"));
        expect(lines.slice(at, at + 3)).toEqual([
          "Staff:     1 person left the config.",
          "Warning:   6 open cases are allocated to people no longer in the config: reallocate them with `/sos assign`:",
          "           Jane Smith (6)",
        ]);
        expect(out).not.toMatch(/Melli|Mary Telis/);
      } finally {
        const exited = new Promise((res) => child.once("exit", res));
        child.kill("SIGTERM");
        await exited;
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});

describe("a sync that would empty the agency or a team", () => {
  let dir: string;
  let db: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "sos-sync-guard-"));
    db = demoDb(dir);
    writeConfig(join(dir, "sos.config.yaml"), demoWithout([JANE, "ah.hin.xeng@demo-agency.example"]));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test(
    "sos start refuses it, naming how many and who, and writes nothing; sos sync --accept-staff-changes applies it",
    SPAWNING,
    async () => {
      const before = fingerprint(db);
      const refused = await sos(dir, ["start"], { SOS_DB: db });
      expect(refused.code).toBe(2);
      expect(refused.err).toBe(
        "sos: the config sos.config.yaml would mark 2 of the 6 active staff as gone (Jane Smith and Ah Hin Xeng), so nothing was changed: if that is right, run `sos start --accept-staff-changes`.\n",
      );
      expect(fingerprint(db)).toEqual(before);
      const accepted = await sos(dir, ["sync", "--accept-staff-changes"], { SOS_DB: db });
      expect(accepted.err).toBe("");
      expect(accepted.out).toBe(
        "Staff:     2 people left the config.\n" +
          "Warning:   6 open cases are allocated to people no longer in the config: reallocate them with `/sos assign`:\n" +
          "           Jane Smith (6)\n",
      );
    },
  );
});
