import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { DigestRunRow } from "../store/schema.ts";

/**
 * Who is posting a digest run. A process takes a run (owner `host:pid:nonce`, and the time) and
 * renews its heartbeat while it posts, so another process can tell a run that is still being
 * posted from one whose process stopped, and resume only the second. On one machine the owner's
 * process is asked directly (a kill -9 is seen at once); across machines the heartbeat's age says.
 */

/** How often a posting process renews its heartbeat. */
export const HEARTBEAT_MS = 10_000;
/** A heartbeat older than this: the process is taken to have stopped. */
export const LEASE_STALE_MS = 60_000;

export interface Lease {
  /** this process, as the ledger names it */
  readonly owner: string;
  /** wall-clock milliseconds: leases are about real processes, not the agency's (perhaps moved) clock */
  now(): number;
  /** whether a run's owner is running: true or false when this machine can tell, null when not */
  alive(owner: string): boolean | null;
}

export function processLease(): Lease {
  const host = hostname();
  return {
    owner: `${host}:${process.pid}:${randomUUID().slice(0, 8)}`,
    now: () => Date.now(),
    alive(owner) {
      const [h, pidText] = owner.split(":");
      const pid = Number(pidText);
      if (h !== host || !Number.isInteger(pid) || pid <= 0) return null;
      if (pid === process.pid) return true;
      try {
        process.kill(pid, 0);
        return true;
      } catch (e) {
        // EPERM: it runs, as someone else.
        return (e as NodeJS.ErrnoException).code === "EPERM";
      }
    },
  };
}

/**
 * A posting run's state: `live` (its process is posting it), `stopped` (its process stopped while
 * posting: resume it), `legacy` (posting since before runs had an owner: not known to have
 * finished, so left alone).
 */
export type LeaseState = "live" | "stopped" | "legacy";

/**
 * The heartbeat a process leaves on a run it stops posting part-way because the app is stopping:
 * older than any lease, so every process (another instance, the next start) reads the run as
 * stopped and resumes it from its first part not posted, without waiting for the lease to go stale.
 */
export const LET_GO = new Date(0).toISOString();

export function leaseState(lease: Lease, run: DigestRunRow): LeaseState {
  if (run.owner === null) return "legacy";
  if (lease.alive(run.owner) === false) return "stopped";
  const beat = run.heartbeatAt === null ? Number.NaN : Date.parse(run.heartbeatAt);
  if (!(lease.now() - beat <= LEASE_STALE_MS)) return "stopped";
  return "live";
}

/**
 * Renews a run's heartbeat every `HEARTBEAT_MS` while `work` runs (building the digest, drawing its
 * picture, posting it, a team's round of nudges), so the run is never taken for stopped while its
 * process is busy with it.
 */
export async function holding<T>(beat: () => void, work: () => Promise<T>): Promise<T> {
  const timer = setInterval(beat, HEARTBEAT_MS);
  timer.unref();
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

/** "12 s", "3 min": how long ago a run was taken, for the ledger's readers. */
export function ago(lease: Lease, iso: string | null): string {
  if (iso === null) return "a while";
  const s = Math.max(0, Math.round((lease.now() - Date.parse(iso)) / 1000));
  return s < 120 ? `${s} s` : `${Math.round(s / 60)} min`;
}
