import type { Server } from "node:http";
import { isIP } from "node:net";
import express, { type ErrorRequestHandler, type Express } from "express";
import type { Ctx } from "../app/context.ts";
import { metricsRoute, observeRequests, requestLog } from "../obs/http.ts";
import { type Logger, logger as processLogger } from "../obs/logger.ts";
import type { Metrics } from "../obs/metrics.ts";
import { databaseCheck, pgDatabaseCheck, type ReadyCheck, readyRoute } from "../obs/ready.ts";

/**
 * Something that adds routes to the one HTTP server: Slack's /slack/events, Teams' /api/messages.
 * Mounted before the server listens; `stop` runs on shutdown.
 */
export interface Mount {
  readonly name: string;
  /** one line for the start-up banner: what it serves and where */
  readonly describe: string;
  mount(app: Express): void;
  stop?(): Promise<void> | void;
  /** the HTTP paths the platform sends to: their answers are timed as its acknowledgements */
  readonly paths?: readonly string[];
  /** for `/readyz`: null when ready (reached the platform, connected), else why not in a sentence */
  ready?(): string | null;
  /** the routes an unknown path's 404 names (`GET /api/v1/cases`), so a caller sees what is there */
  readonly listed?: () => readonly string[];
}

export interface RunningServer {
  readonly server: Server;
  readonly port: number;
  close(): Promise<void>;
}

/** Where the server listens unless `HOST` says otherwise: this machine only. */
export const DEFAULT_HOST = "127.0.0.1";

/**
 * Whether a host name or address is this machine's loopback (`localhost`, 127.0.0.0/8, `::1`, and
 * 127.x written as IPv6). `0.0.0.0` and `::` are not: bound to, they mean every interface.
 */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, "$1");
  if (h === "localhost") return true;
  if (isIP(h) === 4) return h.startsWith("127.");
  if (isIP(h) === 6) return h === "::1" || /^::ffff:127\./.test(h) || /^::ffff:7f[0-9a-f]{2}:/.test(h);
  return false;
}

/** Whether a URL points at this machine's loopback (an `http://127.0.0.1:…/` connector, say). */
export function isLoopbackUrl(url: string): boolean {
  try {
    return isLoopbackHost(new URL(url).hostname);
  } catch {
    return false;
  }
}

/** `http://127.0.0.1:3978`: how to reach a server listening on this host and port. */
export function serverOrigin(host: string, port: number | string): string {
  const h = host.replace(/^\[(.*)\]$/, "$1");
  return `http://${isIP(h) === 6 ? `[${h}]` : h}:${port}`;
}

/** Control characters out and the length bounded: a request's path is the caller's to choose. */
function printable(s: string): string {
  const clean = s.replace(/[\p{Cc}\u2028\u2029]/gu, "?");
  return clean.length > 80 ? `${clean.slice(0, 80)}…` : clean;
}

const PLAIN: Readonly<Record<number, string>> = {
  400: "the request could not be read",
  413: "the request body is too large (1 MB at most)",
  415: "the request body is not in a format this route reads",
};

/**
 * The last word on any error a route passed on: plain JSON with a status, one log line, and never
 * an error's message or stack (express's own handler prints both, as HTML with install paths,
 * unless NODE_ENV is production).
 */
function errorHandler(log: Logger, lines?: (line: string) => void): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const given =
      (err as { status?: unknown; statusCode?: unknown }).status ??
      (err as { statusCode?: unknown }).statusCode;
    const status = typeof given === "number" && given >= 400 && given < 600 ? given : 500;
    const type = (err as { type?: unknown }).type;
    const kind = typeof type === "string" ? type : err instanceof Error ? err.name : typeof err;
    const line = `http: ${req.method} ${printable(req.path)} refused (HTTP ${status}, ${kind})`;
    if (lines) lines(line);
    else requestLog(req, log)[status >= 500 ? "error" : "warn"](line);
    if (res.headersSent) {
      res.end();
      return;
    }
    res
      .status(status)
      .json({ error: PLAIN[status] ?? (status >= 500 ? "something went wrong on our side" : PLAIN[400]) });
  };
}

/**
 * The app's one HTTP server. No global body parser on purpose: Slack's signature check needs the raw
 * body, so each mount parses its own requests.
 */
export function createApp(
  ctx: Ctx,
  mounts: readonly Mount[],
  opts: {
    /** error lines as text, for tests that read them; else they go to the logger */
    log?: (line: string) => void;
    logger?: Logger;
    /** served at /metrics when given (absent when a separate METRICS_PORT serves them) */
    metrics?: Metrics;
    /** counted for the ack-latency histogram even when /metrics is served elsewhere */
    timing?: Metrics;
    /**
     * On PostgreSQL: a cheap query on the pool, for /healthz and /readyz (the SQLite file's handle
     * is not there). Absent: the SQLite file is asked, as always.
     */
    ping?: () => Promise<void>;
  } = {},
): Express {
  const log = opts.logger ?? processLogger();
  const app = express();
  app.disable("x-powered-by");
  // Request ids and request lines first, so every route's lines carry them.
  const surfaces = new Map(mounts.flatMap((m) => (m.paths ?? []).map((p) => [p, m.name] as const)));
  app.use(observeRequests(log, { surfaces, metrics: opts.timing ?? opts.metrics }));
  const { ping } = opts;
  app.get("/healthz", (_req, res, next) => {
    const healthy = () =>
      res.json({ ok: true, agency: ctx.org.agency.name, surfaces: mounts.map((m) => m.name) });
    // A cheap real query, so a locked or missing database shows here rather than on a worker's phone.
    if (ping) {
      ping().then(healthy, next);
      return;
    }
    ctx.store.sqlite.prepare("SELECT 1").get();
    healthy();
  });
  // Ready when the database answers and every platform mounted says it is (/healthz stays cheap).
  const checks: [string, ReadyCheck][] = [
    ["database", ping ? pgDatabaseCheck(ping) : databaseCheck(() => ctx.store.sqlite)],
    ...mounts.map((m): [string, ReadyCheck] => [m.name, () => m.ready?.() ?? null]),
  ];
  app.get("/readyz", readyRoute(checks));
  if (opts.metrics) app.get("/metrics", metricsRoute(opts.metrics));
  for (const m of mounts) m.mount(app);
  // Unknown paths are answered but not logged: scanners would fill the log.
  const listed = mounts.flatMap((m) => m.listed?.() ?? []);
  const notFound =
    listed.length === 0
      ? "nothing here: this server answers GET /healthz and its chat routes"
      : `nothing here: this server answers GET /healthz, its chat routes and ${listed.join(", ")}`;
  app.use((_req, res) => {
    res.status(404).json({ error: notFound });
  });
  app.use(errorHandler(log, opts.log));
  return app;
}

export async function listen(
  app: Express,
  port: number,
  mounts: readonly Mount[] = [],
  host: string = DEFAULT_HOST,
): Promise<RunningServer> {
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(port, host, (err?: Error) => (err ? reject(err) : resolve(s)));
    s.once("error", reject);
  });
  const address = server.address();
  const actual = typeof address === "object" && address ? address.port : port;
  return {
    server,
    port: actual,
    async close() {
      for (const m of mounts) await m.stop?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
    },
  };
}
