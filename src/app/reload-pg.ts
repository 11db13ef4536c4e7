import { needsAcceptance } from "../store/org-sync.ts";
import type { PgStore } from "../store/pg/open.ts";
import { pgRecordReload, pgReloadSync } from "../store/pg/setup.ts";
import { configChanges } from "./config-changes.ts";
import type { LiveConfig } from "./context.ts";
import {
  acceptance,
  appliedLine,
  appliedRecord,
  Refused,
  type ReloadResult,
  type ReloadTrigger,
  refusalLine,
  reloadReader,
  unchangeable,
} from "./reload.ts";

export interface PgReloader {
  reload(trigger: ReloadTrigger): Promise<ReloadResult>;
  files(): string[];
}

export interface PgReloaderDeps {
  readonly configPath: string;
  readonly store: PgStore;
  readonly config: LiveConfig;
  readonly log: (line: string) => void;
  readonly now?: () => Date;
  readonly pid?: number;
  /** this instance's `config_reload` row (`pgServeAsInstance`), where its reloads are recorded */
  readonly instance: number;
  /** after a new config is in place: rescheduling the digests */
  readonly applied?: () => void;
}

/**
 * The reload on PostgreSQL: the same read and checks as on SQLite (`reloadReader`, `unchangeable`,
 * the staff guard), the same lines; the sync, the record and the people read back in one transaction
 * under the set-up lock (`pgReloadSync`), then the new config swapped in whole. Each instance reloads
 * its own file; a second instance's sync of the same config finds nothing to change. Reloads run one
 * at a time, so a signal during a reload waits for it instead of syncing beside it.
 */
export function createPgReloader(deps: PgReloaderDeps): PgReloader {
  const { config, configPath, store } = deps;
  const now = deps.now ?? (() => new Date());
  const pid = deps.pid ?? process.pid;
  const files = reloadReader(configPath, config);
  let queue: Promise<unknown> = Promise.resolve();

  async function refuse(trigger: ReloadTrigger, problems: readonly string[]): Promise<ReloadResult> {
    const line = refusalLine(trigger, problems);
    try {
      await pgRecordReload(store, deps.instance, {
        at: now().toISOString(),
        trigger,
        applied: false,
        summary: line,
        problems,
      });
    } catch {
      deps.log("config: the database could not be written, so this refusal is not recorded");
    }
    deps.log(line);
    return { kind: "refused", problems, line };
  }

  async function once(trigger: ReloadTrigger): Promise<ReloadResult> {
    const read = files.read(trigger);
    if (read.kind === "same") return read;
    if (read.kind === "refused") return refuse(trigger, read.problems);
    const { before, next } = read;
    const changes = configChanges(before, next);
    let people: Awaited<ReturnType<typeof pgReloadSync>>;
    try {
      people = await pgReloadSync(
        store,
        next,
        now().toISOString(),
        (previous, plan) => {
          const problems = unchangeable(next, {
            agency: previous ?? before.agency,
            timeZone: before.agency.timeZone,
          });
          if (problems.length > 0) throw new Refused(problems);
          if (needsAcceptance(plan)) throw new Refused([acceptance(next, plan, pid)]);
        },
        appliedRecord(now(), trigger, changes),
        deps.instance,
      );
    } catch (e) {
      if (e instanceof Refused) return refuse(trigger, e.problems);
      // The files were fine: the same bytes saved again must be tried again.
      files.retry();
      throw e;
    }
    // The window between the commit and this swap (the COMMIT's round trip, then a microtask) is
    // left as it is, on purpose: a request this instance takes in it is served under the config
    // from before over the staff rows just committed. That is a state every reader already meets,
    // and for longer: a command pinned before the reload and still awaiting writes after the commit
    // (on SQLite too), and the other instances serve their old config over these same rows until
    // their own file is reloaded, seconds or minutes later. Nothing is lost or refused in it: staff
    // rows are never deleted, only marked inactive, so every id the old people hold still exists.
    // Swapping before the COMMIT would be worse, not better: a person the new config adds would be
    // served with a staff id not yet visible to the other connections (their first write refused
    // by the foreign key), and a failed commit would take back a config requests had already used.
    config.swap({ org: next, people });
    deps.applied?.();
    const line = appliedLine(configPath, trigger, changes);
    deps.log(line);
    return { kind: "applied", changes, line };
  }

  return {
    reload(trigger) {
      const run = queue.then(() => once(trigger));
      queue = run.catch(() => {});
      return run;
    },
    files: files.files,
  };
}
