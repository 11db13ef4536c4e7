import type { Ctx } from "../commands/ctx.ts";
import type { DigestPartRow } from "../store/schema.ts";
import type { Lease } from "./lease.ts";
import { PostError, type PreparedDigest } from "./post.ts";

/**
 * Sends a digest run's parts in order, each recorded in the ledger as it starts and again as the
 * platform answers (each its own small transaction), so a run stopped anywhere resumes from its
 * first part not sent. A part sent before without an answer is sent once more, saying it may
 * repeat; never a third time.
 */

/** Waits between attempts of one part: 2 s, then 8 s. A platform hiccup usually passes. */
export const RETRY_DELAYS_MS = [2_000, 8_000];

export interface SendResult {
  /** `stopped`: the app is stopping, so no further part was sent; the run resumes from `sent` */
  readonly status: "posted" | "failed" | "unconfirmed" | "stopped";
  /** the first part's platform reference */
  readonly ref: string | null;
  readonly total: number;
  /** parts the platform has confirmed */
  readonly sent: number;
  /** parts already confirmed before this call: a resumed run goes on from there */
  readonly before: number;
  /** parts sent again in this call after a send with no answer, each saying it may repeat */
  readonly repeated: readonly number[];
  /** sends made in this run */
  readonly sends: number;
  /** sends made in this run beyond one per part: retries and repeats */
  readonly retries: number;
  /** parts that went out twice with neither confirmed: not sent a third time */
  readonly unconfirmed: readonly number[];
  /** why it stopped, for a failed or unconfirmed run */
  readonly error?: string;
}

export interface SendDeps {
  readonly ctx: Ctx;
  readonly lease: Lease;
  /** between retries: ends at once when the app stops */
  readonly sleep: (ms: number) => Promise<void>;
  /** whether the app is stopping: no part is sent after that, not even a retry */
  readonly stopping: () => boolean;
  readonly log: (line: string) => void;
  /** an instant as the agency reads it: "07/03/16 08:00" */
  readonly localTime: (iso: string) => string;
}

/** Sends that may have reached the platform: those answered `unknown`, and those never answered. */
const uncertain = (s: DigestPartRow) => s.status === "sending" || s.status === "unknown";

export async function sendParts(
  deps: SendDeps,
  runId: number,
  prepared: PreparedDigest,
  where: string,
): Promise<SendResult> {
  const { ctx, lease } = deps;
  const digests = ctx.ledger;
  const now = () => ctx.clock.now().toISOString();
  const beat = () => digests.heartbeat(runId, lease.owner, new Date(lease.now()).toISOString());
  const total = prepared.kinds.length;
  await digests.finish(runId, { partsTotal: total });
  const history = await digests.parts(runId);

  let thread: string | null = null;
  let sent = 0;
  let retries = 0;
  let sends = 0;
  let before = 0;
  const repeated: number[] = [];
  const unconfirmed: number[] = [];
  const result = (status: SendResult["status"], error?: string): SendResult => ({
    status,
    ref: thread,
    total,
    sent,
    before,
    repeated,
    sends,
    retries,
    unconfirmed,
    ...(error ? { error } : {}),
  });
  for (let i = 0; i < total; i++) {
    const earlier = history.filter((s) => s.part === i);
    const done = earlier.find((s) => s.status === "sent");
    if (done) {
      sent++;
      before++;
      if (i === 0) thread = done.ref;
      continue;
    }
    const maybe = earlier.filter(uncertain).map((s) => s.startedAt);
    let tries = 0;
    for (;;) {
      // Every send so far has its answer recorded, so a run stopped here resumes here, repeating
      // nothing the platform confirmed.
      if (deps.stopping()) return result("stopped");
      if (maybe.length >= 2) {
        // Two copies may be there already: a third is never sent.
        if (i === 0) {
          return result(
            "unconfirmed",
            `The first message went out twice to ${where} and neither was confirmed, so nothing can follow in its thread; it is not sent again.`,
          );
        }
        unconfirmed.push(i);
        break;
      }
      tries++;
      sends++;
      if (tries > 1 || maybe.length > 0) retries++;
      const repeatOf = maybe[0] === undefined ? null : deps.localTime(maybe[0]);
      const startedAt = now();
      const id = await digests.partStarted({
        runId,
        part: i,
        kind: prepared.kinds[i]!,
        repeat: repeatOf !== null,
        at: startedAt,
      });
      try {
        const ref = await prepared.send(i, { thread, repeatOf });
        await digests.partAnswered(id, { status: "sent", ref }, now());
        await beat();
        sent++;
        if (repeatOf !== null) repeated.push(i);
        if (i === 0) thread = ref;
        break;
      } catch (e) {
        const err = e instanceof PostError ? e : new PostError(String(e), true, true);
        await digests.partAnswered(
          id,
          { status: err.mayHaveArrived ? "unknown" : "refused", error: err.message },
          now(),
        );
        if (err.mayHaveArrived) maybe.push(startedAt);
        const delay = RETRY_DELAYS_MS[tries - 1];
        if (err.retryable && delay !== undefined) {
          deps.log(
            `digest: part ${i + 1} of ${total} to ${where} failed (attempt ${tries}); retrying in ${delay / 1000} s`,
          );
          await deps.sleep(delay);
          continue;
        }
        const progress =
          sent === 0
            ? ""
            : ` ${sent} of ${total} parts are posted; the rest follow in the same thread when it is tried again.`;
        return result("failed", `${err.message}${progress}`);
      }
    }
  }
  return result("posted");
}
