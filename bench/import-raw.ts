/**
 * The baseline for `sos import`: the same two files read with the same CSV parser and inserted with
 * raw prepared better-sqlite3 statements in one transaction, the projection rebuilt in one statement;
 * no checks at all. In its own process, so its peak RSS is its own. Prints its measures as JSON.
 */
import { createReadStream } from "node:fs";
import { parse } from "csv-parse";
import { openStore } from "../src/store/open.ts";
import { rebuildProjection } from "../src/store/rebuild.ts";

const [dbPath, casesPath, practicePath] = process.argv.slice(2);
if (!dbPath || !casesPath || !practicePath)
  throw new Error("usage: import-raw.ts <db> <cases.csv> <practice.csv>");
const store = openStore(dbPath);
const t0 = performance.now();
const staff = new Map(
  (
    store.sqlite.prepare("SELECT id, email, team_ids AS teams FROM staff").all() as {
      id: number;
      email: string;
      teams: string;
    }[]
  ).map((s) => [s.email, { id: s.id, team: (JSON.parse(s.teams) as string[])[0]! }]),
);
async function rows(path: string): Promise<string[][]> {
  const out: string[][] = [];
  for await (const r of createReadStream(path).pipe(parse({ bom: true, from_line: 2 })))
    out.push(r as string[]);
  return out;
}
const dmy = (d: string) => `${d.slice(6, 10)}-${d.slice(3, 5)}-${d.slice(0, 2)}`;
const service = { cp: "statutory-cp", "family support": "family-support", vol: "voluntary" } as Record<
  string,
  string
>;
const cases = await rows(casesPath);
const practice = await rows(practicePath);
const now = new Date().toISOString();
const insertCase = store.sqlite.prepare(
  `INSERT INTO cases (id, child_name, age_at_opening, opened_on, service, abuse_types, worker_id, team_id, status, created_at)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open', ?)`,
);
const insertAllocation = store.sqlite.prepare(
  "INSERT INTO allocations (case_id, worker_id, team_id, from_on, assigned_at) VALUES (?, ?, ?, ?, ?)",
);
const insertEvent = store.sqlite.prepare(
  `INSERT INTO practice_events (case_id, element, occurred_on, value, note, recorded_by, recorded_at, surface)
   VALUES (?, ?, ?, ?, ?, ?, ?, 'import')`,
);
store.sqlite
  .transaction(() => {
    for (const [id, name, age, svc, abuse, opened, email] of cases) {
      const w = staff.get(email!)!;
      insertCase.run(
        id,
        name,
        Number(age),
        dmy(opened!),
        service[svc!],
        JSON.stringify(abuse!.split(/,\s*/)),
        w.id,
        w.team,
        now,
      );
      insertAllocation.run(id, w.id, w.team, dmy(opened!), now);
    }
    for (const [id, element, date, value, note, email] of practice)
      insertEvent.run(
        id,
        element,
        dmy(date!),
        value === "" ? null : Number(value),
        note || null,
        staff.get(email!)!.id,
        now,
      );
    rebuildProjection(store);
  })
  .immediate();
const seconds = (performance.now() - t0) / 1000;
store.close();
process.stdout.write(
  `${JSON.stringify({ seconds, rssMb: process.resourceUsage().maxRSS / 1024, rows: cases.length + practice.length })}\n`,
);
