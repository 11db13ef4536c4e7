/**
 * The HTTP API part of `npm run bench` (issue 14): a fresh synthetic agency (bench/generate.ts), then
 * bench/api-run.ts in its own process. Run alone: `node --import tsx bench/api.ts`.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// The child's standard error (the server's line per request, as in production) is kept, not
// shown: 12,000 request lines would bury the tables. A child that fails throws with it.
const node = (script: string, args: string[]) =>
  execFileSync(process.execPath, ["--import", "tsx", join(import.meta.dirname, script), ...args], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    stdio: ["ignore", "pipe", "pipe"],
  });

export async function benchApi(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), "sos-bench-api-"));
  try {
    const db = join(dir, "api.db");
    node("generate.ts", [db]);
    const rows = JSON.parse(node("api-run.ts", [db])) as string[][];
    const head = ["HTTP API", "p50 ms", "p99 ms", "beside"];
    const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(w[i]!)).join(" | ")} |`;
    return [line(head), line(w.map((n) => "-".repeat(n))), ...rows.map(line)];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) for (const l of await benchApi()) console.log(l);
