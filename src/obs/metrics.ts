import { statSync } from "node:fs";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import { type CommandSeen, commandChannel, type DigestSeen, digestChannel } from "./channels.ts";

/**
 * What `/metrics` says, in Prometheus's text format (prom-client): commands by kind and outcome, how
 * long each platform waited for its answer, digest runs by state, the age of the last good backup,
 * the database's size on disk, and Node's own (event-loop delay, memory, CPU, handles).
 */
export interface Metrics {
  readonly registry: Registry;
  /** one HTTP request a platform sent, answered after `seconds` */
  ack(surface: string, seconds: number): void;
  /** stops listening to the core (the registry can still be read) */
  close(): void;
}

export interface MetricsDeps {
  readonly dbPath: string;
  /** when the last backup that passed its check finished; null if none has */
  readonly lastGoodBackup: () => Date | null;
  /** the wall clock (tests pass their own) */
  readonly now?: () => number;
}

/**
 * Seconds a platform may wait for an answer: Slack gives up on an acknowledgement after 3 s, Teams
 * after 15, so the buckets are close together below 3 s.
 */
const ACK_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 15];

export function createMetrics(deps: MetricsDeps): Metrics {
  const registry = new Registry();
  const now = deps.now ?? Date.now;
  collectDefaultMetrics({ register: registry });

  const commands = new Counter({
    name: "sos_commands_total",
    help: "Commands carried out, from every surface, by kind and outcome (ok, refused, repeated, error).",
    labelNames: ["kind", "outcome", "surface"] as const,
    registers: [registry],
  });
  const acks = new Histogram({
    name: "sos_ack_seconds",
    help: "Seconds from a platform's HTTP request arriving to its answer (Slack needs one within 3 s).",
    labelNames: ["surface"] as const,
    buckets: ACK_BUCKETS,
    registers: [registry],
  });
  const digests = new Counter({
    name: "sos_digest_runs_total",
    help: "Digest, summary and nudge runs by kind and how each platform's run ended (posted, already, failed, skipped, error).",
    labelNames: ["kind", "state"] as const,
    registers: [registry],
  });
  new Gauge({
    name: "sos_backup_age_seconds",
    help: "Seconds since the last backup that passed its check finished (+Inf when there has been none).",
    registers: [registry],
    collect() {
      const last = deps.lastGoodBackup();
      this.set(last ? Math.max(0, (now() - last.getTime()) / 1000) : Number.POSITIVE_INFINITY);
    },
  });
  new Gauge({
    name: "sos_db_bytes",
    help: "The database's size on disk: the file, and its write-ahead log not yet checkpointed.",
    labelNames: ["file"] as const,
    registers: [registry],
    collect() {
      this.set({ file: "db" }, sizeOf(deps.dbPath));
      this.set({ file: "wal" }, sizeOf(`${deps.dbPath}-wal`));
    },
  });

  const onCommand = (m: unknown) => {
    const c = m as CommandSeen;
    commands.inc({ kind: c.kind, outcome: c.outcome, surface: c.surface });
  };
  const onDigest = (m: unknown) => {
    const d = m as DigestSeen;
    digests.inc({ kind: d.kind, state: d.state });
  };
  commandChannel.subscribe(onCommand);
  digestChannel.subscribe(onDigest);

  return {
    registry,
    ack: (surface, seconds) => acks.observe({ surface }, seconds),
    close() {
      commandChannel.unsubscribe(onCommand);
      digestChannel.unsubscribe(onDigest);
    },
  };
}

/** A file's size, 0 when it is not there (no write-ahead log between checkpoints). */
function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
