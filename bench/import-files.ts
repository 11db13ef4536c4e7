import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { parseOrg } from "../src/config/load.ts";
import { elementColumns, SERVICE_SLUGS } from "../src/domain/dashboards.ts";
import { addDays } from "../src/domain/dates.ts";
import { ELEMENTS } from "../src/domain/elements.ts";
import { type Shape, syntheticConfig } from "./synthetic.ts";

/** The synthetic agency's config with an admin to import as. */
export const IMPORT_ADMIN = "admin@synthetic.example";
export function importConfig(shape: Shape): string {
  return `${syntheticConfig(shape)}\n  - { email: ${IMPORT_ADMIN}, name: Admin, role: admin }\n`;
}

/** Writes a file line by line without holding it whole in memory. */
async function writeLines(path: string, lines: Iterable<string>): Promise<void> {
  const out = createWriteStream(path);
  for (const line of lines) if (!out.write(`${line}\r\n`)) await once(out, "drain");
  out.end();
  await once(out, "finish");
}

/**
 * A case list of `shape.cases` open cases and a practice history of `perCase` entries each, as an
 * agency's export would hand them over: CRLF, day-first dates, services and elements in the words
 * people use. Every row is one the import accepts, so the benchmark measures a whole import.
 */
export async function writeImportFiles(
  shape: Shape,
  perCase: number,
  today: string,
  paths: { cases: string; practice: string },
): Promise<void> {
  const org = parseOrg(importConfig(shape), "bench.config.yaml");
  const workers = org.staff.filter((s) => s.role === "worker");
  const dmy = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
  const opened = (i: number) => addDays(today, -(40 + (i % 700)));
  const serviceWord = { "statutory-cp": "cp", "family-support": "family support", voluntary: "vol" } as const;

  function* cases(): Generator<string> {
    yield "case_id,child_name,age,service,abuse_types,date_opened,worker_email";
    for (let i = 0; i < shape.cases; i++) {
      const service = SERVICE_SLUGS[i % 3]!;
      yield `${100000 + i},Child ${i},${i % 17},${serviceWord[service]},"N, PA",${dmy(opened(i))},${workers[i % workers.length]!.email}`;
    }
  }
  function* practice(): Generator<string> {
    yield "case_id,element,date,value,note,recorded_by";
    for (let i = 0; i < shape.cases; i++) {
      const service = SERVICE_SLUGS[i % 3]!;
      const elements = elementColumns(org.dashboards[service]).map((c) => c.id);
      for (let j = 0; j < perCase; j++) {
        const element = elements[j % elements.length]!;
        const kind = ELEMENTS[element].kind;
        const value = kind === "rating" ? String(j % 11) : kind === "count" ? String(3 + (j % 12)) : "";
        const note = j === 0 ? "first visit, with the family" : "";
        yield `${100000 + i},${element},${dmy(addDays(opened(i), 1 + j))},${value},${note ? `"${note}"` : ""},${workers[i % workers.length]!.email}`;
      }
    }
  }
  await writeLines(paths.cases, cases());
  await writeLines(paths.practice, practice());
}
