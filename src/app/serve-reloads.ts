import { shown } from "./paths.ts";
import type { ReloadTrigger } from "./reload.ts";
import { watchFiles } from "./watch.ts";

/**
 * How a running `sos start` reloads its config, on either store: a changed file (watched) or SIGHUP
 * runs `reload` (synchronous on SQLite, a promise on PostgreSQL); a reload that fails in a way no
 * check foresaw is one line and the app goes on serving what it has; the files are watched again
 * after each reload, since the config may now name another staff file.
 */
export function serveReloads(opts: {
  files: () => string[];
  reload: (trigger: ReloadTrigger) => unknown;
  log: (line: string) => void;
  /** the banner line's end: where the outcome can be read */
  tail: string;
}): { banner: string; stop(): void } {
  const reload = async (trigger: ReloadTrigger) => {
    try {
      await opts.reload(trigger);
    } catch (e) {
      opts.log(
        `config: the reload stopped (${e instanceof Error ? e.name : "error"}); the running config stays as it was`,
      );
    } finally {
      watching.refresh();
    }
  };
  const watching = watchFiles(opts.files, () => void reload("file"), { log: opts.log });
  const onHangUp = () => void reload("signal");
  process.on("SIGHUP", onHangUp);
  const names = opts
    .files()
    .map((f) => shown(f))
    .join(" or ");
  return {
    banner: `Reload:    a change to ${names} is applied without a restart (also on SIGHUP); ${opts.tail}`,
    stop() {
      watching.close();
      process.off("SIGHUP", onHangUp);
    },
  };
}
