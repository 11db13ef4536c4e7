import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { JANE, ROBIN, SAM } from "../helpers/ctx.ts";
import { DEMO_YAML, writeConfig } from "../helpers/demo-config.ts";
import { fingerprint } from "../helpers/files.ts";
import { demoDb, SPAWNING, sos } from "./run.ts";

const NAMES = /Melli|Majid|Mary|Telis/;
let dir: string;
let db: string;
const env = () => ({ SOS_DB: db });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "sos-removal-"));
  db = demoDb(dir);
  writeConfig(
    join(dir, "sos.config.yaml"),
    `${DEMO_YAML}\nretention: { afterClosing: { years: 7 }, afterBirthday: 25 }\n`,
  );
  const closed = await sos(
    dir,
    ["chat", "--as", SAM, "--today", "2016-03-01"],
    env(),
    "close 12345 safe-at-home 29/02/16 -- Melli is safe with her aunt\nclose 22346 referred-on 28/02/16\nclose 32346 moved-away 27/02/16\n",
  );
  expect(closed.code).toBe(0);
}, SPAWNING.timeout);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("sos retention", () => {
  test(
    "--dry-run lists what is due, when and why, with no names, and changes nothing",
    SPAWNING,
    async () => {
      const before = fingerprint(db);
      const r = await sos(dir, ["retention", "--dry-run", "--today", "2028-06-01"], env());
      expect(r.code).toBe(0);
      expect(r.out).toBe(
        "Retention (config): closed cases are kept until 7 years after closing and the child's 25th birthday, whichever is later. Today is 01/06/28.\n" +
          "1 case is due for removal:\n" +
          "                 due\n" +
          "case   closed    since     why\n" +
          "-----  --------  --------  ---------------------------------------------------\n" +
          "12345  29/02/16  03/02/28  7 years after closing and the child's 25th birthday\n" +
          "2 other closed cases are kept for now; the next is due on 12/06/35.\n" +
          "Nothing was removed (a dry run). `sos retention --apply --as ADMIN-EMAIL` removes them.\n",
      );
      expect(r.out).not.toMatch(NAMES);
      expect(fingerprint(db)).toEqual(before);
    },
  );

  test(
    "--apply needs an admin, removes exactly the due cases, and leaves an audit line without child data",
    SPAWNING,
    async () => {
      const notAdmin = await sos(dir, ["retention", "--apply", "--as", SAM, "--today", "2028-06-01"], env());
      expect(notAdmin.code).toBe(2);
      expect(notAdmin.err).toBe(
        "sos: --as sam.okafor@demo-agency.example: Sam Okafor is a supervisor; only an admin may run sos retention\n",
      );
      const r = await sos(dir, ["retention", "--apply", "--as", ROBIN, "--today", "2028-06-01"], env());
      expect(r.code).toBe(0);
      expect(r.out).toContain(
        "case 12345: removed under retention on 01/06/28, by Robin Ellis (7 years after closing and the child's 25th birthday): 7 entries, 1 record of a correction, move, close or reopen, 1 allocation and 2 audit lines.\n",
      );
      expect(r.out).not.toMatch(NAMES);
      const audit = await sos(dir, ["audit", "--case", "12345"], env());
      expect(audit.out).toBe(
        "Audit trail (case 12345):\n01/06/28 13:00  Robin Ellis (cli)  case 12345  removed the case's records under retention (erasure #1)\n",
      );
      const sqlite = new Database(db, { readonly: true });
      try {
        const left = (t: string) =>
          (sqlite.prepare(`SELECT count(*) AS n FROM ${t} WHERE case_id = '12345'`).get() as { n: number }).n;
        expect(["practice_events", "case_events", "allocations"].map(left)).toEqual([0, 0, 0]);
        expect(sqlite.prepare("SELECT count(*) AS n FROM cases").get()).toEqual({ n: 5 });
        const erasure = sqlite.prepare("SELECT under, reason FROM erasures").get();
        expect(erasure).toEqual({
          under: "retention",
          reason: "retention: closed 2016-02-29; 7 years after closing and the child's 25th birthday passed",
        });
        // Nothing about the child is left anywhere in the file, not even in free pages.
        sqlite.close();
        const bytes = [db, `${db}-wal`]
          .filter((f) => existsSync(f))
          .map((f) => readFileSync(f).toString("latin1"))
          .join("");
        expect(bytes).not.toContain("safe with her aunt");
      } finally {
        if (sqlite.open) sqlite.close();
      }
      const dash = await sos(dir, ["dashboard", "--today", "2028-06-01"], env());
      expect(dash.out).not.toContain("12345");
    },
  );

  test("a plain DELETE on the real file is still refused after the sanctioned path has run", () => {
    const sqlite = new Database(db);
    try {
      expect(() => sqlite.prepare("DELETE FROM practice_events WHERE case_id = '12346'").run()).toThrow(
        /append-only/,
      );
      expect(() => sqlite.prepare("DELETE FROM cases WHERE id = '22346'").run()).toThrow(
        /only by sos retention or sos erase/,
      );
      expect(() => sqlite.prepare("DELETE FROM audit WHERE action = 'erase'").run()).toThrow(/append-only/);
    } finally {
      sqlite.close();
    }
  });
});

describe("sos erase", () => {
  test("one case now, with a reason that must not name the child", SPAWNING, async () => {
    const named = await sos(
      dir,
      ["erase", "--case", "32345", "--as", ROBIN, "--reason", "Melli's case opened in error"],
      env(),
    );
    expect(named.code).toBe(2);
    expect(named.err).toContain("--reason names the child");
    const r = await sos(
      dir,
      ["erase", "--case", "32345", "--as", ROBIN, "--reason", "opened in error", "--today", "2016-03-02"],
      env(),
    );
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      "case 32345: erased on 02/03/16, by Robin Ellis (the reason is kept with the erasure): 5 entries, 1 allocation and 1 audit line.\n" +
        "Backups made before now still hold this case until they are pruned (backup.keep); the erasure is in `sos audit`.\n",
    );
    const again = await sos(dir, ["erase", "--case", "32345", "--as", ROBIN, "--reason", "x"], env());
    expect(again.err).toBe(
      "sos: case 32345 was already removed, under erasure, on 02/03/16: there is nothing left to erase.\n",
    );
    const noReason = await sos(dir, ["erase", "--case", "22345", "--as", ROBIN], env());
    expect(noReason.code).toBe(2);
    expect(noReason.err).toContain('sos erase needs --reason "…"');
    const exported = await sos(
      dir,
      ["export", "--case", "32345", "--as", ROBIN, "--out", "gone.json"],
      env(),
    );
    expect(exported.err).toBe(
      "sos: case 32345 was removed under erasure on 02/03/16: nothing about the child is held any more, so there is nothing to export.\n",
    );
  });
});

describe("sos export --case (subject access)", () => {
  test(
    "JSON and HTML, mode 0600, everything held about the child, and the export audited",
    SPAWNING,
    async () => {
      const noted = await sos(
        dir,
        ["chat", "--as", JANE, "--today", "2016-03-01"],
        env(),
        "mapped-with-family 12346 -- Mary drew her house\nundo\n",
      );
      expect(noted.code).toBe(0);
      const json = await sos(dir, ["export", "--case", "12346", "--as", ROBIN, "--out", "12346.json"], env());
      expect(json.err).toBe("");
      expect(json.out).toMatch(
        /^Wrote 12346\.json \(mode 0600\): everything held about case 12346, 11 entries, 0 corrections, moves, closes and reopens, 3 audit lines, 0 team digests\./,
      );
      expect(statSync(join(dir, "12346.json")).mode & 0o777).toBe(0o600);
      const x = JSON.parse(readFileSync(join(dir, "12346.json"), "utf8"));
      expect(x.format).toBe("sos-subject-access/1");
      expect(x.case.childName).toBe("Mary Telis");
      expect(
        x.entries.find((e: { note: string | null }) => e.note === "Mary drew her house").undone,
      ).not.toBeNull();
      const html = await sos(
        dir,
        ["export", "--case", "12346", "--format", "html", "--as", ROBIN, "--out", "12346.html"],
        env(),
      );
      expect(html.code).toBe(0);
      const page = readFileSync(join(dir, "12346.html"), "utf8");
      expect(page).toContain("<h1>Case 12346: everything Demo Family Services holds");
      expect(page).toContain("Mary drew her house");
      const audit = await sos(dir, ["audit", "--case", "12346"], env());
      expect(audit.out).toContain(
        "Robin Ellis (cli)  case 12346  exported everything held about the case (subject access, json)",
      );
      expect(audit.out).toContain("exported everything held about the case (subject access, html)");
      // Dashboard exports are as they were.
      const csv = await sos(
        dir,
        ["export", "--format", "csv", "--out", "agency.csv", "--today", "2016-03-01"],
        env(),
      );
      expect(csv.out).toBe("Wrote agency.csv: Whole practice overview, 2 open cases.\n");
      const wrong = await sos(
        dir,
        ["export", "--case", "12346", "--format", "csv", "--as", ROBIN, "--out", "x.csv"],
        env(),
      );
      expect(wrong.err).toBe('sos: --format must be one of json, html (got "csv")\n');
      const noAdmin = await sos(dir, ["export", "--case", "12346", "--as", JANE, "--out", "x.json"], env());
      expect(noAdmin.err).toBe(
        "sos: --as jane.smith@demo-agency.example: Jane Smith is a worker; only an admin may run sos export --case\n",
      );
    },
  );
});
