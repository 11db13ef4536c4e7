import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, test } from "vitest";

const ROOT = resolve(import.meta.dirname, "..");

/** Every source file the app runs (not tests, not benchmarks). */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "generated" ? [] : sources(path);
    return /\.(ts|js)$/.test(name) && !name.endsWith(".test.ts") ? [path] : [];
  });
}

/**
 * The variables the code reads: `env.X`, `process.env.X`, `env["X"]`, and the names the adapters
 * keep in lists and read by key (`"SLACK_BOT_TOKEN"`, `"TEAMS_APP_ID"`).
 */
function variablesRead(): Map<string, string> {
  const found = new Map<string, string>();
  const patterns = [
    /\benv\??\.([A-Z][A-Z0-9_]*)\b/g,
    /\benv\[\s*"([A-Z][A-Z0-9_]*)"\s*\]/g,
    /"((?:SOS|SLACK|TEAMS|LOG|METRICS)_[A-Z0-9_]+)"/g,
  ];
  for (const file of ["src", "adapters", "bin"].flatMap((d) => sources(join(ROOT, d)))) {
    const text = readFileSync(file, "utf8");
    for (const re of patterns)
      for (const m of text.matchAll(re)) if (!found.has(m[1]!)) found.set(m[1]!, relative(ROOT, file));
  }
  return found;
}

describe("every environment variable the app reads is written down", () => {
  const read = variablesRead();

  test("the scan finds the ones we know are read (so it is looking in the right places)", () => {
    for (const v of [
      "HOST",
      "PORT",
      "SOS_DB",
      "SLACK_BOT_TOKEN",
      "TEAMS_APP_ID",
      "LOG_LEVEL",
      "METRICS_PORT",
    ])
      expect(read.has(v), v).toBe(true);
  });

  test("in .env.example", () => {
    const example = readFileSync(join(ROOT, ".env.example"), "utf8");
    const listed = new Set([...example.matchAll(/^#? ?([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]));
    const missing = [...read].filter(([v]) => !listed.has(v)).map(([v, file]) => `${v} (read in ${file})`);
    expect(missing).toEqual([]);
  });

  test("in the README's Environment variables table", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const start = readme.indexOf("## Environment variables");
    const table = readme.slice(start, readme.indexOf("\n## ", start + 1));
    const rows = table.split("\n").filter((l) => l.startsWith("| `"));
    const named = new Set(
      rows.flatMap((r) => [...r.split("|")[1]!.matchAll(/`([A-Z][A-Z0-9_]*)/g)].map((m) => m[1])),
    );
    const missing = [...read].filter(([v]) => !named.has(v)).map(([v, file]) => `${v} (read in ${file})`);
    expect(missing).toEqual([]);
  });
});
