import { existsSync, statSync } from "node:fs";
import { type AgencyRecord, readAgency, type SchemaState, schemaState } from "../store/meta.ts";
import type { Store } from "../store/open.ts";
import { openStoreReadOnly } from "../store/open-readonly.ts";
import { FOLDED_STATES } from "../store/rebuild.ts";
import { decodeStates, EMPTY_STATES_TEXT } from "../store/states-format.ts";

/** What a database file holds and whether it is whole: read through a read-only connection. */
export interface DatabaseCheck {
  readonly path: string;
  readonly bytes: number;
  /** `PRAGMA integrity_check`: ["ok"], or what SQLite found wrong */
  readonly integrity: readonly string[];
  readonly schema: SchemaState;
  readonly agency: AgencyRecord | null;
  readonly cases: number;
  readonly events: number;
  /**
   * Cases whose dashboard projection differs from a rebuild from their events (empty when they all
   * agree); null when this schema has no projection to compare (made by a much earlier version).
   */
  readonly projection: { readonly checked: number; readonly differing: readonly string[] } | null;
}

/** Why a file cannot be used, in one sentence. */
export class CheckFailed extends Error {
  override name = "CheckFailed";
}

export function checkDatabaseFile(path: string): DatabaseCheck {
  if (!existsSync(path)) throw new CheckFailed(`there is no file at ${path}`);
  let store: Store;
  try {
    store = openStoreReadOnly(path);
  } catch (e) {
    throw notADatabase(path, e);
  }
  try {
    return checkStore(store, statSync(path).size);
  } catch (e) {
    throw notADatabase(path, e);
  } finally {
    store.close();
  }
}

function notADatabase(path: string, e: unknown): unknown {
  const code = (e as { code?: unknown }).code;
  return code === "SQLITE_NOTADB" || code === "SQLITE_CORRUPT"
    ? new CheckFailed(`${path} is not a database SQLite can read (${String(code)})`)
    : e;
}

function checkStore(store: Store, bytes: number): DatabaseCheck {
  const { sqlite } = store;
  const integrity = (sqlite.pragma("integrity_check") as { integrity_check: string }[]).map(
    (r) => r.integrity_check,
  );
  const schema = schemaState(store);
  const has = (table: string, column: string) =>
    (sqlite.prepare(`SELECT 1 FROM pragma_table_info(?) WHERE name = ?`).get(table, column) ?? null) !== null;
  const count = (table: string) =>
    has(table, "id") ? (sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n : 0;
  const ok = integrity.length === 1 && integrity[0] === "ok";
  return {
    path: store.path,
    bytes,
    integrity,
    schema,
    agency: schema === "none" ? null : readAgency(store),
    cases: count("cases"),
    events: count("practice_events"),
    projection:
      ok && has("cases", "states") && has("practice_events", "retracts_id") ? compareProjection(store) : null,
  };
}

/** Every case's projection against a rebuild from its events, read side by side: nothing is written. */
function compareProjection(store: Store): { checked: number; differing: string[] } {
  const rows = store.sqlite
    .prepare(
      `${FOLDED_STATES}
       SELECT c.id AS id, c.states AS held, coalesce(f.states, '${EMPTY_STATES_TEXT}') AS rebuilt
       FROM cases c LEFT JOIN folded f ON f.case_id = c.id ORDER BY c.id`,
    )
    .iterate() as IterableIterator<{ id: string; held: string; rebuilt: string }>;
  const differing: string[] = [];
  let checked = 0;
  for (const r of rows) {
    checked++;
    // Compared as the projection they read as, not as text: a copy made before the compact format
    // holds the object form, and the two paths may order an object's keys differently.
    if (canonical(decodeStates(r.held)) !== canonical(decodeStates(r.rebuilt))) differing.push(r.id);
  }
  return { checked, differing };
}

function canonical(v: unknown): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
    .join(",")}}`;
}

/** Whether a check says the file is whole: its integrity, and its dashboards agreeing with its events. */
export function problemsOf(check: DatabaseCheck): string[] {
  const problems: string[] = [];
  if (!(check.integrity.length === 1 && check.integrity[0] === "ok"))
    problems.push(`SQLite's integrity check found ${check.integrity.slice(0, 3).join("; ")}`);
  if (check.schema === "none") problems.push("it holds no sos tables");
  if (check.projection && check.projection.differing.length > 0) {
    const ids = check.projection.differing;
    problems.push(
      `the dashboards of ${ids.length} case${ids.length === 1 ? "" : "s"} (${ids.slice(0, 5).join(", ")}${ids.length > 5 ? ", …" : ""}) differ from a rebuild from their entries`,
    );
  }
  return problems;
}

const plural = (n: number, one: string, many = `${one}s`) =>
  `${n.toLocaleString("en-GB")} ${n === 1 ? one : many}`;

/** The check in a line a person reads: "integrity ok; 6 cases, 43 entries; every case's …". */
export function checkLine(check: DatabaseCheck): string {
  const integrity =
    check.integrity.length === 1 && check.integrity[0] === "ok" ? "integrity ok" : "integrity FAILED";
  const projection =
    check.projection === null
      ? "dashboards not compared (made by an earlier version; `sos migrate` rebuilds them)"
      : check.projection.differing.length === 0
        ? `every case's dashboard matches a rebuild from its entries`
        : `${plural(check.projection.differing.length, "case")} whose dashboard differs from a rebuild`;
  return `${integrity}; ${plural(check.cases, "case")}, ${plural(check.events, "entry", "entries")}; ${projection}`;
}

export function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
