import type { Ctx } from "../commands/ctx.ts";
import type { Offload } from "../commands/offload.ts";
import type { Readers } from "./readers.ts";

/**
 * The running app's context with its reader threads: every job carries the config and the instant
 * of the context that asks, so a command pinned at its start (`Ctx.pin`) is answered under the
 * config it began with, and the live context under the config of the moment (a reload included).
 * The live context's `org` and `people` stay getters: a reload reaches everything built on it.
 */
export function withReaders(live: Ctx, readers: Readers): Ctx {
  const asking = (c: () => Ctx): Offload => ({
    run: (job, args, o = {}) => readers.run(job, args, { ...o, org: c().org, now: c().clock.now() }),
  });
  const pinned = (): Ctx => {
    const p: Ctx = { ...live.pin(), readers: asking(() => p), pin: () => p };
    return p;
  };
  const served: Ctx = {
    get org() {
      return live.org;
    },
    get people() {
      return live.people;
    },
    records: live.records,
    ledger: live.ledger,
    store: live.store,
    repo: live.repo,
    clock: live.clock,
    readers: asking(() => served),
    today: () => live.today(),
    pin: pinned,
  };
  return served;
}
