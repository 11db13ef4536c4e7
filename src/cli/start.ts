import { startConsoleChat } from "../../adapters/console/chat.ts";
import { apiMount } from "../api/mount.ts";
import { DEMO_TODAY, UsageError } from "../app/boot.ts";
import { liveContext } from "../app/context.ts";
import { DEMO_CONFIG, resolveDbPath } from "../app/paths.ts";
import { sqliteForgetDeliveries, startPruning } from "../app/prune.ts";
import { createReloader } from "../app/reload.ts";
import { serveReloads } from "../app/serve-reloads.ts";
import { setUpLines } from "../app/set-up-report.ts";
import { chosenStore } from "../app/store-choice.ts";
import { announcingWrites, startStuckWriter, stuckLogLevel } from "../app/stuck-writer.ts";
import { hostFromEnv, platformEnv, surfacesFromEnv } from "../app/surfaces.ts";
import { stuckRules } from "../commands/board.ts";
import { loadDemoData } from "../demo/load.ts";
import { formatDate, localDate, localTime } from "../domain/dates.ts";
import { lastGoodBackup } from "../lifetime/backup-ledger.ts";
import { scheduleBackups } from "../lifetime/backup-schedule.ts";
import { preMigrationLine } from "../lifetime/pre-migration.ts";
import { lockTakenBy, takeServerLock } from "../lifetime/server-lock.ts";
import { obsFromEnv } from "../obs/env.ts";
import { createLogger, lineLog, setLogger } from "../obs/logger.ts";
import { createMetrics } from "../obs/metrics.ts";
import { createApp, DEFAULT_HOST } from "../server/http.ts";
import { readerThreads, startReaders } from "../server/readers.ts";
import { withReaders } from "../server/readers-context.ts";
import { startCheckpointer } from "../store/checkpointer.ts";
import { recordStart } from "../store/config-reload.ts";
import { memoryHomeClaims } from "../store/home-claims.ts";
import { SERVER_BUSY_TIMEOUT_MS } from "../store/open.ts";
import { readArgs } from "./args.ts";
import { readEnvFile } from "./env-file.ts";
import { consoleGreeting } from "./greeting.ts";
import { serveAndSay } from "./serve-http.ts";
import { bootFromEnv, shown } from "./setup.ts";
import { startDigests } from "./start-digests.ts";
import { stopInTurn } from "./stop-in-turn.ts";

/** `sos start` (`npm start`): the server, and in local mode the console chat. */
export async function start(argv: string[]): Promise<number> {
  const { values } = readArgs("start", argv, {
    today: { type: "string" },
    "accept-staff-changes": { type: "boolean" },
  });
  // Before anything reads a variable: `.env`'s values, under whatever is already set.
  const envFile = readEnvFile(process.cwd());
  // DATABASE_URL=postgres://… serves the same platforms from PostgreSQL (several instances may).
  const chosen = chosenStore(process.env);
  if (chosen.kind === "postgres")
    return (await import("./start-pg.ts")).startOnPostgres(chosen.url, values, envFile);
  const port = Number(process.env.PORT ?? 3978);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`PORT must be a port number (got "${process.env.PORT}")`);
  // Half a platform set-up is refused before the database is opened.
  const problem = platformEnv(process.env).problem;
  if (problem) throw new UsageError(problem);
  const host = hostFromEnv(process.env);
  const obs = obsFromEnv(process.env, process.stderr.isTTY === true, DEFAULT_HOST);
  if ("problem" in obs) throw new UsageError(obs.problem);
  // The process's one logger, set up before anything logs.
  const logger = createLogger({ level: obs.settings.level, pretty: obs.settings.pretty });
  setLogger(logger);
  const threads = readerThreads(process.env);
  // Held while serving, so `sos restore` can tell a server is using the database (the OS lets go of
  // it however this process ends); taken before setting up, so a restore cannot be half-way through.
  const lock = takeServerLock(resolveDbPath(process.env, process.cwd()));
  if (!lock) throw new UsageError(lockTakenBy(resolveDbPath(process.env, process.cwd()), shown, "start"));
  const booted = bootFromEnv({
    open: { mode: "setup", command: "start", acceptStaffChanges: values["accept-staff-changes"] === true },
    today: values.today,
  });
  const { emptyDb, configPath, dbPath, demoClock, setUp, backedUp } = booted;
  // Every write is announced to the stuck-since writer (started once serving), which works the
  // cases it made due out a moment later.
  let written = () => {};
  const records = announcingWrites(booted.ctx.records, () => written());
  // Everything the app builds reads the config through this, so a reload reaches all of it.
  const { ctx: live, config } = liveContext({ ...booted.ctx, records });
  const say = (s: string) => process.stdout.write(`${s}\n`);
  // Each part's lines as it always wrote them, now as log records with a level and a component.
  const digestLog = lineLog(logger, "digest", "warn");
  const backupLog = lineLog(logger, "backup", "warn");
  // A reload that went through is news; anything else (refused, busy, stopped) wants a look.
  const configLog = lineLog(logger, "config", (l) => (l.startsWith("config: reloaded") ? "info" : "warn"));
  // Heavy reads (dashboards, stuck lists, App Home, digests) on reader threads with their own
  // read-only connections, so the main thread only parses, writes and answers: started before
  // anything serves, each job sent with the asking context's config and instant.
  const readers =
    threads > 0 && dbPath !== ":memory:"
      ? startReaders({
          dbPath,
          threads,
          log: lineLog(logger, "readers", "warn"),
          source: () => ({ org: live.org, now: live.clock.now() }),
        })
      : undefined;
  const ctx = readers ? withReaders(live, readers) : live;

  // Who is looking at their App Home, and each Home's refresh window: a change refreshes only the
  // Homes opened recently (adapters/slack/home-refresh.ts). Kept in memory: this is the file's one
  // server (src/store/home-claims.ts says what a synced write each would cost).
  const surfaces = await surfacesFromEnv(ctx, process.env, {
    homeRefresh: { shared: { claims: memoryHomeClaims(), wallNow: () => Date.now() } },
  });
  say(
    `sos-dashboards: ${surfaces.local ? (surfaces.warnings.length > 0 ? "local mode (see the warnings below)" : "local mode (no Slack or Teams credentials set)") : surfaces.mounts.map((m) => m.name).join(" and ")}`,
  );
  say(
    `Config:    ${shown(configPath)} (${ctx.org.agency.name}: ${ctx.org.teams.length} team${ctx.org.teams.length === 1 ? "" : "s"}, ${ctx.org.staff.length} staff)`,
  );
  let dbNote = emptyDb ? "new, no cases yet" : "existing";
  if (emptyDb && configPath === DEMO_CONFIG) {
    const { cases } = loadDemoData(ctx);
    dbNote = `new: loaded ${cases} demo cases from the Signs of Safety dashboards document`;
  }
  say(`Database:  ${shown(dbPath)} (${dbNote})`);
  if (envFile)
    say(
      `Env file:  read ${shown(envFile.path)} (${envFile.set.length} set${envFile.kept.length > 0 ? `; ${envFile.kept.join(", ")} already set, kept as they were` : ""})`,
    );
  say(
    readers
      ? `Readers:   ${threads} thread${threads === 1 ? "" : "s"} building dashboards, App Homes and digests off the main thread (SOS_READERS)`
      : "Readers:   none (SOS_READERS=0): dashboards, App Homes and digests are built on the main thread",
  );
  if (backedUp) say(preMigrationLine(backedUp, shown));
  // The agency, what the staff sync changed, and who left the config still holding open cases.
  if (setUp) for (const l of setUpLines(setUp, dbPath, ctx.org)) say(l);
  if (demoClock) {
    say(
      `Calendar:  the demo's sample cases are from 2016, so its calendar starts on ${formatDate(DEMO_TODAY, ctx.org.dates.format)}`,
    );
    say(`           (with your clock's time of day). SOS_TODAY=YYYY-MM-DD picks another day.`);
  }
  for (const w of [...ctx.org.warnings, ...surfaces.warnings]) say(`Warning:   ${w}`);

  const metrics = createMetrics({
    dbPath,
    lastGoodBackup: () => {
      const b = lastGoodBackup(ctx.store);
      return b ? new Date(b.finishedAt) : null;
    },
  });
  const { metricsPort, metricsHost } = obs.settings;
  // The HTTP API is served whatever the platforms: with no client added, it refuses every request.
  const mounts = [...surfaces.mounts, apiMount(ctx, { log: lineLog(logger, "api", "warn") })];
  const app = createApp(ctx, mounts, {
    logger,
    ...(metricsPort === undefined ? { metrics } : { timing: metrics }),
  });
  const { running, metricsServer } = await serveAndSay(
    app,
    mounts,
    { host, port, metrics, metricsPort, metricsHost },
    say,
  );

  // Serving, a write waits less than a command would: people are waiting on a 3-second answer.
  ctx.store.sqlite.pragma(`busy_timeout = ${SERVER_BUSY_TIMEOUT_MS}`);
  const pruning = startPruning(ctx, sqliteForgetDeliveries(ctx), { log: lineLog(logger, "prune", "warn") });
  // "Stuck since" kept current on the main thread, a small batch at a time (each well under a
  // millisecond per case; the loop is served between batches): caught up now, then after writes.
  const stuck = startStuckWriter({
    refresh: (batch) => ctx.records.refreshStuck(stuckRules(ctx.org), batch),
    log: lineLog(logger, "stuck", stuckLogLevel),
  });
  written = () => stuck.written();

  // WAL checkpoints off the request path, and the digests on their schedules.
  const checkpointer = startCheckpointer(ctx.store, { log: lineLog(logger, "store", "warn") });
  const digests = startDigests(ctx, surfaces.posters, { logger, log: digestLog });
  const scheduler = digests.scheduler;
  say(digests.line);

  const local = (d: Date) =>
    `${formatDate(localDate(d, ctx.org.agency.timeZone), ctx.org.dates.format)} ${localTime(d, ctx.org.agency.timeZone)}`;
  const backups = scheduleBackups({
    backup: ctx.org.backup,
    timeZone: ctx.org.agency.timeZone,
    dbPath,
    configPath,
    lastGood: () => {
      const b = lastGoodBackup(ctx.store, "scheduled");
      return b ? new Date(b.finishedAt) : null;
    },
    say,
    log: backupLog,
    local,
    shown,
  });
  say(backups.line);

  // A changed config or staff file, or SIGHUP, is read, checked and applied without a restart.
  recordStart(ctx.store, {
    pid: process.pid,
    at: new Date().toISOString(),
    configPath,
    timeZone: ctx.org.agency.timeZone,
  });
  const reloader = createReloader({
    configPath,
    ctx,
    config,
    log: configLog,
    applied: () => {
      scheduler?.reschedule();
      // The stuck rules may have changed: a new fingerprint makes every case due at once.
      stuck.catchUp();
    },
  });
  const reloads = serveReloads({
    files: () => reloader.files(),
    reload: (trigger) => reloader.reload(trigger),
    log: configLog,
    tail: "`sos config check` says how the last one went.",
  });
  say(reloads.banner);

  const stop = stopInTurn(
    [
      ["the config watcher", () => reloads.stop()],
      ["pruning", () => pruning.stop()],
      ["the stuck-since writer", () => stuck.stop()],
      ["the digests", () => digests.stop()],
      ["the backups", () => backups.stop()],
      ["the reader threads", () => readers?.close()],
      ["the HTTP server", () => running.close()],
      ["the metrics server", () => metricsServer?.close()],
      ["the metrics", () => metrics.close()],
      ["the checkpointer", () => checkpointer.stop()],
      ["the database", () => ctx.store.close()],
      ["the start lock", () => lock.release()],
    ],
    lineLog(logger, "server", "warn"),
  );
  process.once("SIGTERM", () => void stop().then((ok) => process.exit(ok ? 0 : 1)));

  const first = ctx.people.all().find((a) => a.role === "worker") ?? ctx.people.all()[0];
  if (surfaces.local && process.stdin.isTTY && first) {
    say("");
    for (const l of await consoleGreeting(ctx, first)) say(l);
    say("");
    await startConsoleChat(ctx, first, { input: process.stdin, output: process.stdout });
    return (await stop()) ? 0 : 1;
  }
  say(`Console:   standard input is not a terminal, so no console chat; serving until stopped (Ctrl+C).`);
  process.once("SIGINT", () => void stop().then((ok) => process.exit(ok ? 0 : 1)));
  await new Promise<void>((resolve) => running.server.once("close", () => resolve()));
  return 0;
}
