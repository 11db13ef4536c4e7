import { hostname } from "node:os";
import { startConsoleChat } from "../../adapters/console/chat.ts";
import { slackSurface } from "../../adapters/slack/index.ts";
import { teamsSurfaceFor } from "../../adapters/teams/index.ts";
import { pgInstallations } from "../../adapters/teams/installations-pg.ts";
import { apiMount } from "../api/mount.ts";
import { UsageError } from "../app/boot.ts";
import { liveContext } from "../app/context.ts";
import { DEMO_CONFIG, resolveConfigPath } from "../app/paths.ts";
import { bootPg } from "../app/pg-context.ts";
import { digestPosters } from "../app/posters.ts";
import { startPruning } from "../app/prune.ts";
import { createPgReloader } from "../app/reload-pg.ts";
import { serveReloads } from "../app/serve-reloads.ts";
import { setUpLines } from "../app/set-up-report.ts";
import { announcingWrites, startStuckWriter, stuckLogLevel } from "../app/stuck-writer.ts";
import { hostFromEnv, platformEnv } from "../app/surfaces.ts";
import { stuckRules } from "../commands/board.ts";
import { demoChange } from "../demo/load.ts";
import { pgLeaderFor } from "../digest/pg-leader.ts";
import { obsFromEnv } from "../obs/env.ts";
import { createLogger, lineLog, setLogger } from "../obs/logger.ts";
import { createMetrics } from "../obs/metrics.ts";
import { createApp, DEFAULT_HOST, type Mount } from "../server/http.ts";
import { pgApiClients } from "../store/pg/api-clients.ts";
import { pgHomeClaims } from "../store/pg/home-claims.ts";
import { pgServeAsInstance } from "../store/pg/instances.ts";
import { pgForgetDeliveries, pgPing } from "../store/pg/serving.ts";
import type { EnvFileRead } from "./env-file.ts";
import { serveAndSay } from "./serve-http.ts";
import { shown } from "./setup.ts";
import { startDigests } from "./start-digests.ts";
import { stopInTurn } from "./stop-in-turn.ts";

/**
 * `sos start` on PostgreSQL (`DATABASE_URL`): the schema migrated under the advisory lock, the
 * agency claimed and the staff synced as on SQLite, then the chat platforms served on the async
 * `Records` port, so several instances can serve one database. What only the SQLite file has (its
 * lock file, WAL checkpoints, `sos backup`'s schedule, reader threads over the file) is said in one
 * line each, not half-run; what has not moved off the SQLite handles yet is said the same way. Slack, Teams and the console
 * chat are served as on SQLite.
 */
export async function startOnPostgres(
  url: string,
  values: { today?: string | undefined; "accept-staff-changes"?: boolean | undefined },
  envFile: EnvFileRead | null,
): Promise<number> {
  const port = Number(process.env.PORT ?? 3978);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`PORT must be a port number (got "${process.env.PORT}")`);
  const platforms = platformEnv(process.env);
  if (platforms.problem) throw new UsageError(platforms.problem);
  const host = hostFromEnv(process.env);
  const obs = obsFromEnv(process.env, process.stderr.isTTY === true, DEFAULT_HOST);
  if ("problem" in obs) throw new UsageError(obs.problem);
  const logger = createLogger({ level: obs.settings.level, pretty: obs.settings.pretty });
  setLogger(logger);
  const configPath = resolveConfigPath(process.env, process.cwd());
  const booted = await bootPg({
    url,
    configPath,
    env: process.env,
    open: { mode: "setup", command: "start", acceptStaffChanges: values["accept-staff-changes"] === true },
    ...(values.today ? { today: values.today } : {}),
  });
  const { store, setUp } = booted;
  // This instance's writes are announced to the stuck-since writer (when this instance leads).
  let written = () => {};
  const records = announcingWrites(booted.ctx.records, () => written());
  // The live context: a reload swaps the config and its people in whole, and everything built on
  // the context (the adapters, the API, the digests) reads them through it.
  const { ctx, config } = liveContext({ ...booted.ctx, records });
  const configLog = lineLog(logger, "config", (l) => (l.startsWith("config: reloaded") ? "info" : "warn"));
  const say = (s: string) => process.stdout.write(`${s}\n`);
  try {
    // Each instance coalesces App Home refreshes in memory; the claim in the database holds the
    // window across instances, so a person's Home is published at most once per window by them all,
    // and who opened their Home (on whichever instance Slack told) is refreshed by every instance.
    const slack = slackSurface(ctx, platforms.slack.settings, {
      homeRefresh: { shared: { claims: pgHomeClaims(store), wallNow: () => Date.now() } },
    });
    // Teams as on SQLite (token-checked with credentials; anonymous only in local mode on a loopback
    // address outside production), its conversation references kept in the database so every
    // instance can post where any of them was told the app is.
    const teams = teamsSurfaceFor(
      ctx,
      platforms.teams,
      {
        local: platforms.local,
        host,
        port: process.env.PORT || "3978",
        production: process.env.NODE_ENV === "production",
      },
      { installs: pgInstallations(store) },
    );
    const platformMounts = [slack?.mount, teams.surface?.mount].filter((m): m is Mount => m !== undefined);
    const warnings = [...platforms.slack.warnings, ...teams.warnings];
    say(
      `sos-dashboards: ${platforms.local ? (warnings.length > 0 ? "local mode (see the warnings below)" : "local mode (no Slack or Teams credentials set)") : platformMounts.map((m) => m.name).join(" and ")} on PostgreSQL`,
    );
    // The HTTP API is served whatever the platforms, as on SQLite: with no client added, it refuses
    // every request. Its clients, idempotency keys and stored answers are all in the database, so a
    // retry sent to the other instance is answered once.
    const api = apiMount(ctx, { clients: pgApiClients(store), log: lineLog(logger, "api", "warn") });
    const mounts: Mount[] = [...platformMounts, api];
    say(
      `Config:    ${shown(configPath)} (${ctx.org.agency.name}: ${ctx.org.teams.length} team${ctx.org.teams.length === 1 ? "" : "s"}, ${ctx.org.staff.length} staff)`,
    );
    let dbNote = "existing";
    // A database just claimed for the demo agency gets the demo's cases, once: the claim is made
    // under the set-up lock, so of two instances starting together only one sees it "recorded".
    if (setUp?.agency === "recorded") {
      dbNote = "new, no cases yet";
      if (configPath === DEMO_CONFIG && (await ctx.records.reads.caseIds({})).length === 0) {
        await ctx.records.apply(demoChange(ctx));
        dbNote = "new: loaded the demo cases from the Signs of Safety dashboards document";
      }
    }
    say(`Database:  ${store.shown} (PostgreSQL, ${dbNote}; migrated at start under an advisory lock)`);
    if (envFile)
      say(
        `Env file:  read ${shown(envFile.path)} (${envFile.set.length} set${envFile.kept.length > 0 ? `; ${envFile.kept.join(", ")} already set, kept as they were` : ""})`,
      );
    if (setUp) for (const l of setUpLines(setUp, store.shown, ctx.org)) say(l);
    for (const w of [...ctx.org.warnings, ...warnings]) say(`Warning:   ${w}`);
    say(
      "SQLite-only: no WAL checkpointer, lock file or `sos backup` schedule here: back PostgreSQL up with its own tools (pg_dump, base backups).",
    );
    say(
      "Not yet on PostgreSQL: reader threads (reads wait on the database server, so they run on the main thread).",
    );
    // The digests: every instance builds the runner, only the advisory lock's holder runs the
    // schedules and the catch-up; another takes the lock over when the holder's session ends.
    const digestLog = lineLog(logger, "digest", "warn");
    // As on SQLite: in local mode Teams is only the Agents Playground, nothing to post digests to.
    const posters = platforms.local
      ? []
      : digestPosters(ctx, {
          ...(slack ? { slack: slack.poster } : {}),
          ...(teams.surface ? { teams: teams.surface.poster } : {}),
        });
    // The schedule lock's holder also keeps "stuck since" current, so one instance writes it; it is
    // taken even with nothing to post, for that.
    const leader = pgLeaderFor(store.pool, { log: digestLog });
    const digests = startDigests(ctx, posters, { logger, log: digestLog, leader });
    say(digests.line);
    const leads = await leader.attempt();
    if (posters.length > 0)
      say(
        `Schedules: ${leads ? "this instance runs them (it holds the schedule lock)" : "another instance runs them; this one takes over if it stops"}`,
      );
    // "Stuck since" kept current by the leader, a small batch (one transaction) at a time: caught up
    // now, after this instance's writes, on taking the lead and on a slow beat for the others'.
    const stuck = startStuckWriter({
      refresh: (batch) => ctx.records.refreshStuck(stuckRules(ctx.org), batch),
      leads: () => leader.leads(),
      log: lineLog(logger, "stuck", stuckLogLevel),
    });
    written = () => stuck.written();
    leader.onChange((now) => {
      if (now) stuck.catchUp();
    });

    const metrics = createMetrics({ dbPath: store.shown, lastGoodBackup: () => null });
    const { metricsPort, metricsHost } = obs.settings;
    const app = createApp(ctx, mounts, {
      logger,
      ping: () => pgPing(store),
      ...(metricsPort === undefined ? { metrics } : { timing: metrics }),
    });
    const { running, metricsServer } = await serveAndSay(
      app,
      mounts,
      { host, port, metrics, metricsPort, metricsHost },
      say,
    );
    const pruning = startPruning(ctx, (before) => pgForgetDeliveries(store, before), {
      log: lineLog(logger, "prune", "warn"),
    });
    // This instance's own row for `sos config check` (its start, then its reloads), held as its
    // own while it runs; the rows of instances that have stopped are pruned.
    const instance = await pgServeAsInstance(
      store,
      {
        host: hostname(),
        pid: process.pid,
        at: new Date().toISOString(),
        configPath,
        timeZone: ctx.org.agency.timeZone,
      },
      { log: configLog },
    );

    // As on SQLite: a changed config or staff file, or SIGHUP, is read, checked and applied without
    // a restart; each instance reloads its own file.
    const reloader = createPgReloader({
      configPath,
      store,
      config,
      instance: instance.id,
      log: configLog,
      applied: () => {
        digests.scheduler?.reschedule();
        // The stuck rules may have changed: a new fingerprint makes every case due at once.
        stuck.catchUp();
      },
    });
    const reloads = serveReloads({
      files: () => reloader.files(),
      reload: (trigger) => reloader.reload(trigger),
      log: configLog,
      tail: "each instance reloads its own file.",
    });
    say(reloads.banner);

    const stop = stopInTurn(
      [
        ["the config watcher", () => reloads.stop()],
        ["pruning", () => pruning.stop()],
        ["the stuck-since writer", () => stuck.stop()],
        ["the digests", () => digests.stop()],
        ["the digest leader", () => leader.stop()],
        ["the instance row", () => instance.stop()],
        ["the HTTP server", () => running.close()],
        ["the metrics server", () => metricsServer?.close()],
        ["the metrics", () => metrics.close()],
        ["the database", () => store.close()],
      ],
      lineLog(logger, "server", "warn"),
    );
    process.once("SIGTERM", () => void stop().then((ok) => process.exit(ok ? 0 : 1)));
    const first = ctx.people.all().find((a) => a.role === "worker") ?? ctx.people.all()[0];
    if (platforms.local && process.stdin.isTTY && first) {
      say("");
      say(`Console:   you are ${first.name} (${first.role}); type help.`);
      await startConsoleChat(ctx, first, { input: process.stdin, output: process.stdout });
      return (await stop()) ? 0 : 1;
    }
    say(`Console:   standard input is not a terminal, so no console chat; serving until stopped (Ctrl+C).`);
    process.once("SIGINT", () => void stop().then((ok) => process.exit(ok ? 0 : 1)));
    await new Promise<void>((resolve) => running.server.once("close", () => resolve()));
    return 0;
  } catch (e) {
    await store.close();
    throw e;
  }
}
