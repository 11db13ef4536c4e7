import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Request, RequestHandler } from "express";
import { pinoHttp } from "pino-http";
import type { Logger } from "./logger.ts";
import type { Metrics } from "./metrics.ts";

/** Probes are asked every few seconds: answering them is not news for the log. */
const PROBES = new Set(["/healthz", "/readyz", "/metrics"]);

/** The path alone (a query could carry anything), with control characters out and its length bounded. */
export function shownPath(url: string | undefined): string {
  const path = (url ?? "").split("?")[0] ?? "";
  const clean = path.replace(/[\p{Cc}\u2028\u2029]/gu, "?");
  return clean.length > 80 ? `${clean.slice(0, 80)}…` : clean;
}

/**
 * Each request gets an id (sent back as `X-Request-Id`, and on every line logged about it through
 * `req.log`), one line when it is answered (not for probes, nor for 404s: scanners would fill the
 * log), and for a platform's route the time it waited for its answer. What is logged of a request
 * is its method, path and status: never a header (tokens, signatures) or the body (children's
 * names and notes).
 */
export function observeRequests(
  logger: Logger,
  opts: { surfaces: ReadonlyMap<string, string>; metrics?: Metrics | undefined },
): RequestHandler[] {
  const http = pinoHttp({
    logger: logger.child({ component: "http" }),
    genReqId: (_req: IncomingMessage, res: ServerResponse) => {
      // Our own, never the caller's: a header's value would be theirs to put in the log.
      const id = randomUUID();
      res.setHeader("X-Request-Id", id);
      return id;
    },
    quietReqLogger: true,
    wrapSerializers: false,
    serializers: {
      req: (req: IncomingMessage & { id?: unknown }) => ({
        id: req.id,
        method: req.method,
        path: shownPath(req.url),
      }),
      res: (res: ServerResponse) => ({ status: res.statusCode }),
      err: (e: unknown) => ({ type: e instanceof Error ? e.name : typeof e }),
    },
    autoLogging: { ignore: (req) => PROBES.has(shownPath(req.url)) },
    customLogLevel: (_req, res, err) =>
      err || res.statusCode >= 500
        ? "error"
        : res.statusCode === 404
          ? "silent"
          : res.statusCode >= 400
            ? "warn"
            : "info",
    customSuccessMessage: (req, res, ms) =>
      `http: ${req.method} ${shownPath(req.url)} answered ${res.statusCode} in ${Math.round(ms)} ms`,
    customErrorMessage: (req, res) =>
      `http: ${req.method} ${shownPath(req.url)} failed (HTTP ${res.statusCode})`,
  });
  const timing: RequestHandler = (req, res, next) => {
    const surface = opts.surfaces.get(req.path);
    if (surface && opts.metrics) {
      const metrics = opts.metrics;
      const start = process.hrtime.bigint();
      res.once("finish", () => metrics.ack(surface, Number(process.hrtime.bigint() - start) / 1e9));
    }
    next();
  };
  return [http, timing];
}

/** The request's own logger (its id on every line), or the app's where there is none. */
export function requestLog(req: Request, fallback: Logger): Logger {
  return (req as Request & { log?: Logger }).log ?? fallback;
}

export function metricsRoute(metrics: Metrics): RequestHandler {
  return async (_req, res, next) => {
    try {
      const body = await metrics.registry.metrics();
      res.type(metrics.registry.contentType).send(body);
    } catch (e) {
      next(e);
    }
  };
}
