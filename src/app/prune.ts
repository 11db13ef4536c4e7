import type { Ctx } from "./context.ts";

/** Delivery ids are only needed while a platform might still retry (minutes): a week is ample. */
export const DELIVERY_IDS_KEPT_MS = 7 * 86_400_000;
export const PRUNE_EVERY_MS = 3_600_000;

/** Forgets the delivery ids (and their stored replies) kept before `before`, on whichever store. */
export type ForgetDeliveries = (before: string) => void | Promise<void>;

/** The SQLite file's: synchronous, as every write there is. */
export function sqliteForgetDeliveries(ctx: Pick<Ctx, "repo">): ForgetDeliveries {
  return (before) => {
    ctx.repo.idempotency.prune(before);
  };
}

/**
 * Forgets delivery ids, and the replies stored with them (children's names, notes), older than a week:
 * at start and then every hour while the server runs, so a server up for months keeps none longer.
 * A failure (the database busy past its timeout, PostgreSQL unreachable) is one log line; the next
 * hour tries again. `stop` waits for a pass under way, so the store is not closed beneath it.
 */
export function startPruning(
  ctx: Pick<Ctx, "clock">,
  forget: ForgetDeliveries,
  opts: { everyMs?: number; log?: (line: string) => void } = {},
): { stop(): Promise<void>; settled(): Promise<void> } {
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const failed = (e: unknown) =>
    log(
      `sos: forgetting old delivery ids failed (${e instanceof Error ? e.name : typeof e}); trying again in an hour`,
    );
  let under: Promise<void> = Promise.resolve();
  const prune = () => {
    try {
      const pass = forget(new Date(ctx.clock.now().getTime() - DELIVERY_IDS_KEPT_MS).toISOString());
      if (pass) under = pass.catch(failed);
    } catch (e) {
      failed(e);
    }
  };
  prune();
  const timer = setInterval(prune, opts.everyMs ?? PRUNE_EVERY_MS);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      return under;
    },
    settled: () => under,
  };
}
