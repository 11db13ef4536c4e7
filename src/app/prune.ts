import type { Ctx } from "./context.ts";

/** Delivery ids are only needed while a platform might still retry (minutes): a week is ample. */
export const DELIVERY_IDS_KEPT_MS = 7 * 86_400_000;
export const PRUNE_EVERY_MS = 3_600_000;

/**
 * Forgets delivery ids, and the replies stored with them (children's names, notes), older than a week:
 * at start and then every hour while the server runs, so a server up for months keeps none longer.
 * A failure (the database busy past its timeout) is one log line; the next hour tries again.
 */
export function startPruning(
  ctx: Pick<Ctx, "repo" | "clock">,
  opts: { everyMs?: number; log?: (line: string) => void } = {},
): { stop(): void } {
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const prune = () => {
    try {
      ctx.repo.idempotency.prune(new Date(ctx.clock.now().getTime() - DELIVERY_IDS_KEPT_MS).toISOString());
    } catch (e) {
      log(
        `sos: forgetting old delivery ids failed (${e instanceof Error ? e.name : typeof e}); trying again in an hour`,
      );
    }
  };
  prune();
  const timer = setInterval(prune, opts.everyMs ?? PRUNE_EVERY_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
