import { is } from "drizzle-orm";
import { getTableConfig, PgTable } from "drizzle-orm/pg-core";
import * as pgSchema from "./schema.ts";

/**
 * What `sos migrate-store` copies, worked out from the PostgreSQL schema itself (`./schema.ts`), so a
 * table added there is copied without anyone remembering to list it here; a SQLite table with no
 * PostgreSQL twin fails the plan's test rather than being left behind.
 */
export interface CopyTable {
  readonly name: string;
  readonly columns: readonly CopyColumn[];
  /** the primary key's columns: rows are read and written in this order ("id order") */
  readonly key: readonly string[];
  /** the identity column whose sequence must be set past the copied ids, if any */
  readonly serial: string | null;
}

export interface CopyColumn {
  readonly name: string;
  /** SQLite keeps booleans as 0 and 1; PostgreSQL wants true and false */
  readonly boolean: boolean;
}

/**
 * Tables that are not records but the state of the processes serving them, each with why: an agency
 * moved onto PostgreSQL starts them afresh. `config_reload` is the running `sos start`'s start and
 * last reload; on PostgreSQL it is one row per instance (`pg/instances.ts`), written by each start.
 */
export const NOT_COPIED: Readonly<Record<string, string>> = {
  config_reload: "each running sos start's own start and last reload, written again by every start",
};

/** Every table of the PostgreSQL schema but `NOT_COPIED`, parents before the tables whose foreign keys name them. */
export function copyPlan(): CopyTable[] {
  const exported: readonly unknown[] = Object.values(pgSchema);
  const tables = exported
    .filter((v): v is PgTable => is(v, PgTable))
    .filter((t) => !Object.hasOwn(NOT_COPIED, getTableConfig(t).name));
  const byName = new Map(tables.map((t) => [getTableConfig(t).name, t]));
  const done = new Set<string>();
  const plan: CopyTable[] = [];
  const visit = (name: string, path: readonly string[]): void => {
    if (done.has(name)) return;
    if (path.includes(name)) throw new Error(`foreign keys form a cycle: ${[...path, name].join(" → ")}`);
    const table = byName.get(name);
    if (!table) throw new Error(`a foreign key names ${name}, which is not in the PostgreSQL schema`);
    const config = getTableConfig(table);
    for (const fk of config.foreignKeys) {
      const parent = getTableConfig(fk.reference().foreignTable).name;
      // A table referring to itself (a retraction names the entry it undoes) is written in id order,
      // which puts every row after the one it names.
      if (parent !== name) visit(parent, [...path, name]);
    }
    done.add(name);
    plan.push(describe(table));
  };
  for (const name of [...byName.keys()].sort()) visit(name, []);
  return plan;
}

// Identity columns as drizzle names them: ids are `bigserial` (0006), a plain `serial` still counts.
const SERIAL_TYPES: ReadonlySet<string> = new Set(["PgSerial", "PgBigSerial53", "PgBigSerial64"]);

function describe(table: PgTable): CopyTable {
  const config = getTableConfig(table);
  const composite = config.primaryKeys[0]?.columns.map((c) => c.name);
  const key = composite ?? config.columns.filter((c) => c.primary).map((c) => c.name);
  if (key.length === 0) {
    // No primary key: every column, so the order is still total and the same on every run.
    key.push(...config.columns.map((c) => c.name));
  }
  return {
    name: config.name,
    columns: config.columns.map((c) => ({ name: c.name, boolean: c.columnType === "PgBoolean" })),
    key,
    serial: config.columns.find((c) => SERIAL_TYPES.has(c.columnType))?.name ?? null,
  };
}
