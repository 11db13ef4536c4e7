/**
 * Which instance runs the digests' schedules. Every instance serves people, but only the leader's
 * timers fire and only it runs the catch-up sweep, so a Monday's 50 digests are built once, not
 * once per instance. Being the leader is an optimisation, not the guarantee: a slot is still posted
 * once because its claim is unique in the ledger, so a moment with two leaders (one that has not
 * yet seen its connection drop) doubles some building, never a post.
 */
export interface Leader {
  /** whether this instance runs the schedules now */
  leads(): boolean;
  /** tries to take the lead now, or checks it still holds it (what the retry timer does) */
  attempt(): Promise<boolean>;
  /** called when this instance takes the lead or loses it */
  onChange(listener: (leads: boolean) => void): void;
  /** lets the lead go (closing its connection) and stops trying */
  stop(): Promise<void>;
}

/** SQLite: one file is served by one `sos start`, so that process leads, always. */
export function soleLeader(): Leader {
  return {
    leads: () => true,
    attempt: async () => true,
    onChange: () => {},
    stop: async () => {},
  };
}

/** How often an instance that does not lead tries to take the lead (and the leader checks it holds it). */
export const LEADER_RETRY_MS = 15_000;

/** Repeats `fn` every `ms` until the returned function is called: injected so tests drive it. */
export type Every = (ms: number, fn: () => void) => () => void;

export const realEvery: Every = (ms, fn) => {
  const timer = setInterval(fn, ms);
  timer.unref();
  return () => clearInterval(timer);
};

// The PostgreSQL leader is in pg-leader.ts: a SQLite server never loads the pg driver for it.
