import {
  type Applied,
  type Change,
  Conflict,
  type Records,
  type Write,
  type WrittenEntry,
} from "./records.ts";
import type { Repo } from "./repo.ts";

/**
 * The record on the embedded SQLite file. Reads are synchronous underneath and answered at once; a
 * batch is applied in one IMMEDIATE transaction with nothing awaited inside it (better-sqlite3 cannot
 * keep a transaction open across the event loop), so it is all of it or none of it.
 */
export function sqliteRecords(repo: Repo): Records {
  const { cases, events } = repo;
  const reads: Records["reads"] = {
    case: async (id) => cases.get(id),
    caseIds: async (scope) => cases.ids(scope),
    openCases: async (scope) => cases.open(scope),
    liveEntries: async (caseId, element) => events.live(caseId, element),
    // Both read in one tick: nothing writes between them.
    caseAndLive: async (id, element) => {
      const c = cases.get(id);
      return c ? { case: c, live: element === null ? [] : events.live(id, element) } : undefined;
    },
    event: async (id) => events.get(id),
    retractionOf: async (id) => events.retractionOf(id),
    lastOwnLive: async (staffId) => events.lastOwnLive(staffId),
    caseEvents: async (caseId) => events.forCase(caseId),
    allocations: async (caseId) => cases.allocations(caseId),
    caseAudit: async (caseId) => repo.audit.forCase(caseId),
    caseHistory: async (caseId) => repo.caseEvents.forCase(caseId),
    audit: async (filter) => repo.audit.find(filter),
    snoozedOn: async (day) => repo.digests.snoozedOn(day),
    coverage: async (day) => repo.coverage.on(day),
    stuckCounts: async (rules, day, raisedBy) => repo.stuck.counts(rules, day, raisedBy),
    longestStuck: async (rules, day, limit) => repo.stuck.longest(rules, day, limit),
    stuckGeneration: async (rules) => repo.stuck.generation(rules),
    // --- views-records: dashboards, App Home, the API's reads ---
    // Each visit runs inside the statement's iteration, in one tick: nothing else uses the
    // connection meanwhile, and a row is let go as soon as it is visited.
    eachOpenCase: async (scope, visit) => {
      cases.visitOpenForBoard(scope, visit);
    },
    closedCasesSince: async (scope, since) => cases.closedSince(scope, since),
    eachClosedCase: async (visit) => {
      for (const c of cases.eachClosed()) visit(c);
    },
    staff: async () => repo.staff.all(),
    // cleanups: the erasure record
    retentionErasedAt: async (caseId) => repo.erasures.retentionErasedAt(caseId),
    // digest-perf
    closedCoverage: async () => repo.digestReads.closedCoverage(),
    coverageOnDays: async (days) => repo.digestReads.coverageOnDays(days),
    transfers: async (teamId, after, upTo) => repo.digestReads.transfers(teamId, after, upTo),
  };

  /** Carries out one write; returns the cases it wrote to, whose versions then move on. */
  function write(w: Write, entries: WrittenEntry[]): readonly string[] {
    switch (w.kind) {
      case "appendEvent":
        entries.push(events.append(w.event));
        return [w.event.caseId];
      case "appendEvents": {
        const { written, cases: touched } = events.appendMany(w.events);
        for (const e of written) entries.push(e);
        return touched;
      }
      case "retract":
        entries.push(events.retract(w.target, w.by, w.at, w.surface));
        return [w.target.caseId];
      case "openCase":
        cases.insert(w.row, w.by, w.at);
        return [];
      case "allocate":
        cases.allocate(w.caseId, w.workerId, w.teamId, w.fromOn, w.by, w.at);
        return [w.caseId];
      case "close":
        cases.close(w.caseId, w.on, w.outcome, w.note);
        return [w.caseId];
      case "reopen":
        cases.reopen(w.caseId);
        return [w.caseId];
      case "caseEvent":
        repo.caseEvents.append(w.event);
        return [w.event.caseId];
      case "updateCase":
        cases.update(w.caseId, w.set);
        return [w.caseId];
      case "snooze":
        repo.digests.snooze(w.caseId, w.until, w.by, w.at);
        return [];
      case "leave":
        repo.digests.addLeave(w.staffId, w.from, w.to, w.at);
        return [];
      case "audit": {
        const last = entries[entries.length - 1];
        const detail = w.entryKey && last ? { ...w.entry.detail, [w.entryKey]: last.id } : w.entry.detail;
        repo.audit.record({ ...w.entry, detail });
        return [];
      }
    }
  }

  return {
    reads,
    async priorReply(key) {
      return repo.idempotency.get(key);
    },
    refreshStuck: async (rules, batch) => repo.stuck.refresh(rules, batch),
    async apply(change: Change, opts = {}): Promise<Applied> {
      return repo.transaction((): Applied => {
        const key = opts.idempotencyKey;
        if (key !== undefined) {
          const prior = repo.idempotency.get(key);
          if (prior !== undefined) return { repeated: true, reply: prior };
        }
        const checked = new Set<string>();
        for (const e of change.expect) {
          if (e.kind === "noCase") {
            if (cases.get(e.caseId)) throw new Conflict(`case ${e.caseId} exists`);
          } else {
            // Compare and move on in one statement: the version read is the version written over.
            if (!cases.bumpVersion(e.caseId, e.version)) throw new Conflict(`case ${e.caseId} changed`);
            checked.add(e.caseId);
          }
        }
        const entries: WrittenEntry[] = [];
        for (const w of change.writes) {
          for (const touched of write(w, entries)) {
            if (checked.has(touched)) continue;
            cases.bumpVersion(touched, null);
            checked.add(touched);
          }
        }
        const reply = change.reply(entries);
        if (key !== undefined) repo.idempotency.put(key, reply, opts.at ?? new Date().toISOString());
        return { repeated: false, reply };
      });
    },
  };
}
