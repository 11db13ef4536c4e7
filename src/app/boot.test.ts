import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { AH_HIN, JANE } from "../../test/helpers/ctx.ts";
import {
  DEMO_YAML,
  demoWith,
  demoWithout,
  OTHER_AGENCY_YAML,
  writeConfig,
} from "../../test/helpers/demo-config.ts";
import { fingerprint, makePreAgencyDb } from "../../test/helpers/files.ts";
import { notYetSynced } from "../cli/setup.ts";
import { loadDemoData } from "../demo/load.ts";
import { readOrgRows } from "../store/org-sync.ts";
import { type Booted, boot, type Opening } from "./boot.ts";
import { DEMO_CONFIG } from "./paths.ts";
import { setUpLines } from "./set-up-report.ts";

let dir: string;
let db: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sos-boot-"));
  db = join(dir, "sos.db");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const SETUP: Opening = { mode: "setup", command: "start" };
const READ: Opening = { mode: "read" };
const RECORDS: Opening = { mode: "records" };

function open(open: Opening, configPath = DEMO_CONFIG): Booted {
  return boot({ configPath, dbPath: db, env: {}, today: "2016-03-01", open });
}

/** Runs `fn` (which must throw) and returns its message. */
function refusal(fn: () => unknown): string {
  try {
    const b = fn() as Booted | undefined;
    b?.ctx.store.close();
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  throw new Error("expected a refusal");
}

function demoDb(): void {
  const b = open(SETUP);
  loadDemoData(b.ctx);
  b.ctx.store.close();
}

describe("a database belongs to one agency", () => {
  test("a new database records the config's agency and says so, with what the sync added", () => {
    const b = open(SETUP);
    expect(setUpLines(b.setUp!, db, b.ctx.org)).toEqual([
      `Agency:    ${db} now belongs to Demo Family Services (agency id demo-family-services); another agency's config is refused.`,
      "Staff:     6 people added, North Team added.",
    ]);
    b.ctx.store.close();
    const again = open(SETUP);
    expect(setUpLines(again.setUp!, db, again.ctx.org)).toEqual([
      "Staff:     unchanged: the database already has the config's teams and staff.",
    ]);
    again.ctx.store.close();
  });

  test.each([
    ["setup", SETUP],
    ["read", READ],
    ["records", RECORDS],
  ] as const)("another agency's config is refused before anything is written (%s)", (_, how) => {
    demoDb();
    const other = writeConfig(join(dir, "northshire.yaml"), OTHER_AGENCY_YAML);
    const before = fingerprint(db);
    expect(refusal(() => open(how, other))).toBe(
      `${db} belongs to Demo Family Services (agency id demo-family-services) but the config ${other} is for Northshire Children's Services (agency id northshire), so nothing was changed: set SOS_CONFIG to that agency's config or SOS_DB to another database (the same agency under a new name keeps its records with agency.id: demo-family-services in the config).`,
    );
    expect(fingerprint(db)).toEqual(before);
  });

  test("the same agency under a new name keeps its database when the config keeps its id", () => {
    demoDb();
    const renamed = writeConfig(
      join(dir, "renamed.yaml"),
      DEMO_YAML.replace("name: Demo Family Services", "id: demo-family-services\n  name: Demo Family Trust"),
    );
    const b = open(SETUP, renamed);
    expect(setUpLines(b.setUp!, db, b.ctx.org)[0]).toBe(
      "Agency:    renamed from Demo Family Services to Demo Family Trust (agency id demo-family-services).",
    );
    b.ctx.store.close();
    const r = open(READ, renamed);
    expect(r.ctx.org.agency.name).toBe("Demo Family Trust");
    r.ctx.store.close();
  });
});

describe("a database made before agencies were recorded", () => {
  test("reading says to run sos migrate and changes nothing; migrate adopts the config's agency and says so", () => {
    makePreAgencyDb(db);
    const before = fingerprint(db);
    expect(refusal(() => open(READ))).toBe(
      `${db} was made by an earlier version of sos-dashboards and nothing was changed: run \`sos migrate\` to bring it up to date.`,
    );
    expect(refusal(() => open(RECORDS))).toContain("run `sos migrate`");
    expect(fingerprint(db)).toEqual(before);

    const b = open({ mode: "setup", command: "migrate" });
    expect(setUpLines(b.setUp!, db, b.ctx.org)).toEqual([
      `Agency:    ${db} had no agency recorded (it was made before sos-dashboards kept one); it now belongs to Demo Family Services (agency id demo-family-services).`,
      "Staff:     unchanged: the database already has the config's teams and staff.",
    ]);
    b.ctx.store.close();
    const other = writeConfig(join(dir, "northshire.yaml"), OTHER_AGENCY_YAML);
    expect(refusal(() => open(READ, other))).toContain("belongs to Demo Family Services");
  });

  test("the probe's incident: another agency's config at start is refused by the staff check, before migrating", () => {
    makePreAgencyDb(db);
    const other = writeConfig(join(dir, "northshire.yaml"), OTHER_AGENCY_YAML);
    const before = fingerprint(db);
    expect(refusal(() => open(SETUP, other))).toBe(
      `the config ${other} would mark 6 of the 6 active staff as gone (Jane Smith, Ah Hin Xeng, Alison Camp, Sam Okafor, Morgan Reyes and 1 more) and leave North Team with no one, so nothing was changed: if that is right, run \`sos start --accept-staff-changes\`.`,
    );
    expect(fingerprint(db)).toEqual(before);
  });
});

describe("staff sync", () => {
  test("a sync marking a quarter of the staff as gone is refused until accepted, then reports and lists the leavers", () => {
    demoDb();
    const cfg = writeConfig(join(dir, "two-gone.yaml"), demoWithout([JANE, AH_HIN]));
    const before = fingerprint(db);
    expect(refusal(() => open({ mode: "setup", command: "sync" }, cfg))).toBe(
      `the config ${cfg} would mark 2 of the 6 active staff as gone (Jane Smith and Ah Hin Xeng), so nothing was changed: if that is right, run \`sos sync --accept-staff-changes\`.`,
    );
    expect(fingerprint(db)).toEqual(before);

    const b = open({ mode: "setup", command: "sync", acceptStaffChanges: true }, cfg);
    expect(setUpLines(b.setUp!, db, b.ctx.org)).toEqual([
      "Staff:     2 people left the config.",
      "Warning:   6 open cases are allocated to people no longer in the config: reallocate them with `/sos assign`:",
      "           Jane Smith (6)",
    ]);
    b.ctx.store.close();
  });

  test("one person of six leaving needs no accepting", () => {
    demoDb();
    const b = open(SETUP, writeConfig(join(dir, "one-gone.yaml"), demoWithout([AH_HIN])));
    expect(b.setUp!.sync.peopleLeaving.map((p) => p.name)).toEqual(["Ah Hin Xeng"]);
    b.ctx.store.close();
  });

  test("reading and recording never sync: the rows stay as they were; someone new is unknown until `sos sync`", () => {
    demoDb();
    const edited = writeConfig(
      join(dir, "edited.yaml"),
      demoWith("nia.new@demo-agency.example", "Nia New", demoWithout([JANE])),
    );
    const read = open(READ);
    const rows = JSON.stringify(readOrgRows(read.ctx.store));
    read.ctx.store.close();
    for (const how of [READ, RECORDS]) {
      const b = open(how, edited);
      expect(b.ctx.people.byEmail("nia.new@demo-agency.example")).toBeUndefined();
      expect(notYetSynced(b.ctx, "--as", "nia.new@demo-agency.example")?.message).toBe(
        `--as nia.new@demo-agency.example: in ${edited} but not yet in ${db}: run \`sos sync\` first.`,
      );
      expect(notYetSynced(b.ctx, "--as", "nobody@demo-agency.example")).toBeNull();
      // Jane left the config: not someone to act as, but her row (and her cases) are untouched
      expect(b.ctx.people.byEmail(JANE)).toBeUndefined();
      expect(JSON.stringify(readOrgRows(b.ctx.store))).toBe(rows);
      b.ctx.store.close();
    }
  });
});

describe("read-only opening", () => {
  test("no database: one sentence, and no file is created", () => {
    expect(refusal(() => open(READ))).toBe(
      `there is no database at ${db} yet: \`sos migrate\` (or \`sos start\`) creates one for the config's agency, \`sos demo\` one for the demo agency.`,
    );
    expect(refusal(() => open(RECORDS))).toContain("there is no database at");
    expect(existsSync(db)).toBe(false);
  });

  test("the store it gives refuses writes", () => {
    demoDb();
    const b = open(READ);
    expect(() => b.ctx.store.sqlite.prepare("UPDATE staff SET active = 0").run()).toThrow(/readonly/);
    b.ctx.store.close();
  });
});
