import type { IsoDate } from "../domain/dates.ts";
import { type RawCase, SELECT_CASES, toCaseRow } from "./cases.ts";
import type { Store } from "./open.ts";
import type { CaseRow } from "./schema.ts";
import { decodeStates } from "./states-format.ts";

/**
 * "Stuck since" kept on each case (`cases.stuck_since`), so the agency's stuck counts and its
 * longest stuck cases are read from an index instead of checking every case's rules.
 *
 * A case's stuck rules are a function of its record and the day, and the day only decides whether
 * the first day it is stuck has come: so that first day can be stored, and "stuck on D" is
 * `stuck_since <= D`. It depends on the config (thresholds, which dashboard shows which element), so
 * each stored value carries the generation of the config it was worked out under (`stuck_for`); the
 * generation moves on when the config's fingerprint changes, which makes every value due at once. A
 * trigger makes a case due when anything its rules read changes (however it changed: a command, an
 * import, a rebuild). Readers use the stored values that are current and work out the due ones
 * themselves, so a read is exact whatever the writer has caught up with; the writer works through
 * the due cases a batch at a time (`refresh`) with the config of the moment.
 */
export interface StuckRules {
  /** everything the rules read from the config, as text: equal text, equal answers */
  readonly fingerprint: string;
  /** the first day the case is stuck as its record stands, whatever today is; null: never */
  since(c: StuckInput): IsoDate | null;
}

/** What of a case its stuck rules read. */
export type StuckInput = Pick<CaseRow, "openedOn" | "serviceSince" | "service" | "states">;

export interface StuckCount {
  readonly stuck: number;
  readonly raised: number;
}

/**
 * The due open cases (no value, or one of another generation) as three ranges of the `cases_stuck`
 * index (status, stuck_for), each read apart: SQLite reads `stuck_for IS NULL OR stuck_for <> @gen`
 * as one scan of every open case's entry, which the readers, the writer's step and its idle beat
 * would pay in full however few are due. Null first: what a write leaves due.
 */
const DUE_RANGES = ["stuck_for IS NULL", "stuck_for < @gen", "stuck_for > @gen"].map(
  (range) => `status = 'open' AND ${range}`,
);

export function stuckQueries(store: Store) {
  const { sqlite } = store;
  const meta = sqlite.prepare(
    "SELECT stuck_generation AS gen, stuck_fingerprint AS fp FROM derived WHERE id = 1",
  );
  const bump = sqlite.prepare(
    "UPDATE derived SET stuck_generation = stuck_generation + 1, stuck_fingerprint = ? WHERE id = 1",
  );
  // The writer's batch: only what the rules read, not the whole row.
  const due = sqlite
    .prepare(
      `${DUE_RANGES.map((w) => `SELECT id, opened_on, service_since, service, states FROM cases WHERE ${w}`).join(" UNION ALL ")} LIMIT @limit`,
    )
    .raw(true);
  const dueAll = sqlite
    .prepare(DUE_RANGES.map((w) => `${SELECT_CASES} WHERE ${w}`).join(" UNION ALL "))
    .raw(true);
  const allOpen = sqlite.prepare(`${SELECT_CASES} WHERE status = 'open'`).raw(true);
  // What `counts` reads of a due case: the rules' own columns and the team, not the whole row (the
  // summary counts every open case this way while no stored value is current).
  const DUE_INPUT =
    "SELECT team_id, opened_on, service_since, service, states FROM cases WHERE status = 'open'";
  const dueInputAll = sqlite
    .prepare(
      DUE_RANGES.map(
        (w) => `SELECT team_id, opened_on, service_since, service, states FROM cases WHERE ${w}`,
      ).join(" UNION ALL "),
    )
    .raw(true);
  const allOpenInput = sqlite.prepare(DUE_INPUT).raw(true);
  const dueCount = sqlite
    .prepare(`SELECT ${DUE_RANGES.map((w) => `(SELECT count(*) FROM cases WHERE ${w})`).join(" + ")}`)
    .pluck();
  const anyDue = sqlite
    .prepare(
      `SELECT 1 WHERE ${DUE_RANGES.map((w) => `EXISTS (SELECT 1 FROM cases WHERE ${w})`).join(" OR ")}`,
    )
    .pluck();
  const set = sqlite.prepare("UPDATE cases SET stuck_since = ?, stuck_for = ? WHERE id = ?");
  const counted = sqlite.prepare(
    `SELECT team_id AS teamId, count(*) AS stuck, sum(stuck_since <= @raisedBy) AS raised FROM cases
     WHERE status = 'open' AND stuck_for = @gen AND stuck_since <= @day GROUP BY team_id`,
  );
  const longestKnown = sqlite
    .prepare(
      `${SELECT_CASES} WHERE status = 'open' AND stuck_for = @gen AND stuck_since <= @upTo
       ORDER BY stuck_since, id`,
    )
    .raw(true);
  const nth = sqlite.prepare(
    `SELECT stuck_since AS since FROM cases WHERE status = 'open' AND stuck_for = @gen AND stuck_since <= @day
     ORDER BY stuck_since LIMIT 1 OFFSET @offset`,
  );

  /** The generation the stored values are current for under these rules; null: none is. */
  function generation(rules: StuckRules): number | null {
    const m = meta.get() as { gen: number; fp: string | null } | undefined;
    return m && m.fp === rules.fingerprint ? m.gen : null;
  }

  /** The open cases whose stored value is not current, as rows; every open case when none is. */
  function dueRows(gen: number | null): CaseRow[] {
    const raw = gen === null ? allOpen.all() : dueAll.all({ gen });
    return (raw as RawCase[]).map(toCaseRow);
  }

  return {
    generation,

    /**
     * The writer's step: under the rules of the moment, moves the generation on if the config
     * changed, then works out up to `batch` due open cases, in one transaction. Returns how many
     * are still due after it (0: caught up).
     */
    refresh(rules: StuckRules, batch: number): number {
      // The writer's idle beat: nothing due is answered by a read, without taking the write lock
      // (another process may hold it, and waiting for it would hold up the server's main thread).
      const current = generation(rules);
      if (current !== null && anyDue.get({ gen: current }) === undefined) return 0;
      return sqlite
        .transaction((): number => {
          let gen = generation(rules);
          if (gen === null) {
            bump.run(rules.fingerprint);
            gen = generation(rules)!;
          }
          const rows = due.all({ gen, limit: batch }) as [
            string,
            IsoDate,
            IsoDate | null,
            CaseRow["service"],
            string,
          ][];
          for (const [id, openedOn, serviceSince, service, states] of rows)
            set.run(rules.since({ openedOn, serviceSince, service, states: decodeStates(states) }), gen, id);
          return rows.length < batch ? 0 : (dueCount.get({ gen }) as number);
        })
        .immediate();
    },

    /**
     * Per team, the open cases stuck on `day` and of those the ones stuck since `raisedBy` or
     * earlier (raised to the supervisor). Teams with none are absent.
     */
    counts(rules: StuckRules, day: IsoDate, raisedBy: IsoDate): Map<string, StuckCount> {
      const gen = generation(rules);
      const out = new Map<string, { stuck: number; raised: number }>();
      if (gen !== null) {
        for (const r of counted.all({ gen, day, raisedBy }) as {
          teamId: string;
          stuck: number;
          raised: number;
        }[])
          out.set(r.teamId, { stuck: r.stuck, raised: r.raised });
      }
      const due = (gen === null ? allOpenInput.iterate() : dueInputAll.iterate({ gen })) as Iterable<
        [string, IsoDate, IsoDate | null, CaseRow["service"], string]
      >;
      for (const [teamId, openedOn, serviceSince, service, states] of due) {
        const since = rules.since({ openedOn, serviceSince, service, states: decodeStates(states) });
        if (since === null || since > day) continue;
        const t = out.get(teamId) ?? { stuck: 0, raised: 0 };
        t.stuck++;
        if (since <= raisedBy) t.raised++;
        out.set(teamId, t);
      }
      return out;
    },

    /**
     * The open cases stuck on `day`, longest stuck first: at least the first `limit` of them, and any
     * more stuck since the same day as the last of those (so a caller breaking ties its own way
     * keeps the right ones).
     */
    longest(rules: StuckRules, day: IsoDate, limit: number): CaseRow[] {
      const gen = generation(rules);
      const due = dueRows(gen).filter((c) => {
        const since = rules.since(c);
        return since !== null && since <= day;
      });
      if (gen === null) return due;
      const cut = nth.get({ gen, day, offset: Math.max(0, limit - 1) }) as { since: string } | undefined;
      const known = (longestKnown.all({ gen, upTo: cut?.since ?? day }) as RawCase[]).map(toCaseRow);
      return [...known, ...due];
    },
  };
}

export type StuckQueries = ReturnType<typeof stuckQueries>;
