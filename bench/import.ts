/**
 * The import part of `npm run bench` (issue 10 §1): a synthetic agency's case list (20,000 cases) and
 * practice history (200,000 entries) written as CSV files, imported by `sos import`'s own code in a
 * child process, beside a raw better-sqlite3 bulk insert of the same rows in another, each on its own
 * fresh database. Run alone: `node --import tsx bench/import.ts`.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { boot } from "../src/app/boot.ts";
import { importConfig, writeImportFiles } from "./import-files.ts";
import { SHAPE, TODAY } from "./synthetic.ts";

const PER_CASE = 10;

interface Phase {
  total: number;
  read?: number;
  decided?: number;
  text: string;
}

function child(script: string, args: string[]): unknown {
  const out = execFileSync(
    process.execPath,
    ["--import", "tsx", join(import.meta.dirname, script), ...args],
    {
      encoding: "utf8",
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  return JSON.parse(out);
}

/** A fresh database set up for the synthetic agency (as `sos migrate` would). */
function freshDb(configPath: string, dbPath: string): void {
  boot({
    configPath,
    dbPath,
    env: {},
    today: TODAY,
    open: { mode: "setup", command: "migrate" },
  }).ctx.store.close();
}

/** Measures the import and its baseline; returns the lines to print. */
export async function benchImport(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), "sos-bench-import-"));
  try {
    const configPath = join(dir, "sos.config.yaml");
    writeFileSync(configPath, importConfig(SHAPE));
    const files = { cases: join(dir, "cases.csv"), practice: join(dir, "practice.csv") };
    await writeImportFiles(SHAPE, PER_CASE, TODAY, files);
    const dbs = { sos: join(dir, "import.db"), raw: join(dir, "raw.db") };
    freshDb(configPath, dbs.sos);
    freshDb(configPath, dbs.raw);
    type Run = { cases: Phase; practice: Phase; rssMb: number };
    const args = [configPath, dbs.sos, files.cases, files.practice, TODAY];
    const first = child("import-run.ts", args) as Run;
    const again = child("import-run.ts", args) as Run;
    const raw = child("import-raw.ts", [dbs.raw, files.cases, files.practice]) as {
      seconds: number;
      rssMb: number;
    };
    const s = (x: number) => x.toFixed(1);
    const mb = (p: string) => (statSync(p).size / 2 ** 20).toFixed(1);
    const total = first.cases.total + first.practice.total;
    const phases = (p: Phase) =>
      p.read !== undefined && p.decided !== undefined
        ? `read and checked ${s(p.read)} s, against the record ${s(p.decided - p.read)} s, written ${s(p.total - p.decided)} s`
        : "";
    const rows: [string, string, string, string, string][] = [
      [
        `sos import: ${SHAPE.cases.toLocaleString("en")} cases + ${(SHAPE.cases * PER_CASE).toLocaleString("en")} practice rows (${mb(files.cases)} + ${mb(files.practice)} MB of CSV)`,
        s(total),
        first.rssMb.toFixed(0),
        "≤ 30 s, ≤ 300 MB",
        `${(total / raw.seconds).toFixed(1)}× raw`,
      ],
      ["  the case list", s(first.cases.total), "", "", phases(first.cases)],
      ["  the practice history", s(first.practice.total), "", "", phases(first.practice)],
      [
        "raw better-sqlite3: same parser, prepared inserts, no checks, one transaction",
        s(raw.seconds),
        raw.rssMb.toFixed(0),
        "baseline",
        "1.0×",
      ],
      [
        "the same two files again (everything already there, nothing written)",
        s(again.cases.total + again.practice.total),
        again.rssMb.toFixed(0),
        "",
        `${again.cases.text} / ${again.practice.text}`.replace(/\b(cases|practice)\.csv: /g, ""),
      ],
    ];
    const head = ["import", "seconds", "peak RSS MB", "target", "ratio / detail"];
    const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (r: readonly string[]) => `| ${r.map((c, i) => c.padEnd(w[i]!)).join(" | ")} |`;
    return [line(head), line(w.map((n) => "-".repeat(n))), ...rows.map(line)];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) for (const l of await benchImport()) console.log(l);
