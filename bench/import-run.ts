/**
 * One run of `sos import`'s code on the benchmark's files, in its own process so its peak RSS is its
 * own: the case list, then the practice history. Run twice: the second finds everything already
 * there. Opens the database as `sos import` does. Prints its measures as JSON.
 */
import { boot } from "../src/app/boot.ts";
import { runImport } from "../src/import/run.ts";
import { IMPORT_ADMIN } from "./import-files.ts";

const [configPath, dbPath, cases, practice, today] = process.argv.slice(2);
if (!configPath || !dbPath || !cases || !practice || !today)
  throw new Error("usage: import-run.ts <config> <db> <cases.csv> <practice.csv> <today>");
const { ctx } = boot({ configPath, dbPath, env: {}, today, open: { mode: "records" } });
const admin = ctx.people.byEmail(IMPORT_ADMIN)!;
const seconds = async (kind: "cases" | "practice", path: string) => {
  const phases: Record<string, number> = {};
  const t0 = performance.now();
  const r = await runImport(ctx, admin, ctx.repo.staff.all(), {
    kind,
    path,
    dryRun: false,
    update: false,
    progress: (line) => {
      if (line.includes("against the record")) phases.read = (performance.now() - t0) / 1000;
      if (line.startsWith("writing")) phases.decided = (performance.now() - t0) / 1000;
    },
  });
  if (!r.ok) throw new Error(r.text);
  return { total: (performance.now() - t0) / 1000, ...phases, text: r.text.split("\n")[0] };
};
const measured = { cases: await seconds("cases", cases), practice: await seconds("practice", practice) };
ctx.store.close();
process.stdout.write(`${JSON.stringify({ ...measured, rssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
