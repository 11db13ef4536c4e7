import type { Statement } from "better-sqlite3";
import type { ElementKey } from "../domain/elements.ts";
import type { ElementState } from "../domain/projection.ts";
import type { Store } from "./open.ts";

export type StatesByCase = Map<string, Map<ElementKey, ElementState>>;

type Row = [string, ElementKey, number, string | null, string | null, number | null];

/**
 * Projection rows for many cases at once. Dashboards read here, never the event log. The agency
 * overview reads every open case's rows, so this goes to the driver directly in raw (array) mode:
 * measured 2-3x faster than mapping objects through the query builder for 200k rows.
 */
export function statesQueries(store: Store) {
  const base = `SELECT s.case_id, s.element, s.count, s.first_on, s.last_on, s.last_value
    FROM element_states s JOIN cases c ON c.id = s.case_id WHERE c.status = 'open'`;
  const all = store.sqlite.prepare(base).raw(true);
  const byWorker = store.sqlite.prepare(`${base} AND c.worker_id = ?`).raw(true);
  const byCase = store.sqlite
    .prepare(
      "SELECT case_id, element, count, first_on, last_on, last_value FROM element_states WHERE case_id = ?",
    )
    .raw(true);
  const byTeam = new Map<number, Statement<string[]>>();

  function collect(rows: Iterable<unknown>, out: StatesByCase = new Map()): StatesByCase {
    for (const r of rows as Iterable<Row>) {
      let m = out.get(r[0]);
      if (!m) {
        m = new Map();
        out.set(r[0], m);
      }
      m.set(r[1], { count: r[2], firstOn: r[3], lastOn: r[4], lastValue: r[5] });
    }
    return out;
  }

  return {
    forOpenCases(scope: { workerId?: number; teamIds?: readonly string[] }): StatesByCase {
      if (scope.workerId !== undefined) return collect(byWorker.iterate(scope.workerId));
      if (scope.teamIds !== undefined) {
        const n = scope.teamIds.length;
        if (n === 0) return new Map();
        let stmt = byTeam.get(n);
        if (!stmt) {
          stmt = store.sqlite
            .prepare<string[]>(`${base} AND c.team_id IN (${new Array(n).fill("?").join(",")})`)
            .raw(true);
          byTeam.set(n, stmt);
        }
        return collect(stmt.iterate(...(scope.teamIds as string[])));
      }
      return collect(all.iterate());
    },

    forCase(caseId: string): Map<ElementKey, ElementState> {
      return collect(byCase.iterate(caseId)).get(caseId) ?? new Map();
    },
  };
}
