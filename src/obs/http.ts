import { randomUUID } from "node:crypto";
import type { Request, RequestHandler } from "express";
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

type Level = "error" | "warn" | "info" | "silent";

function levelOf(status: number, failed: boolean): Level {
  return failed || status >= 500 ? "error" : status === 404 ? "silent" : status >= 400 ? "warn" : "info";
}

/**
 * Each request gets an id (sent back as `X-Request-Id`, and on every line logged about it through
 * `req.log`), one line when it is answered (not for probes, nor for 404s: scanners would fill the
 * log), and for a platform's route the time it waited for its answer. What is logged of a request
 * is its method, path and status: never a header (tokens, signatures) or the body (children's
 * names and notes).
 *
 * The line is the one pino-http wrote (same fields, same order), written here directly: pino-http
 * made two child loggers per request (the id, then the request, serialized and redacted as a
 * binding) for a line that names four fields; under load that was 2% of the server's CPU (bench
 * profile). `req.log` is made only when something logs through it.
 */
export function observeRequests(
  logger: Logger,
  opts: { surfaces: ReadonlyMap<string, string>; metrics?: Metrics | undefined },
): RequestHandler[] {
  const http = logger.child({ component: "http" });
  const observe: RequestHandler = (req, res, next) => {
    // Our own, never the caller's: a header's value would be theirs to put in the log.
    const id = randomUUID();
    res.setHeader("X-Request-Id", id);
    (req as Request & { id?: string }).id = id;
    let own: Logger | undefined;
    Object.defineProperty(req, "log", {
      configurable: true,
      get: () => {
        own ??= http.child({ reqId: id });
        return own;
      },
    });
    const path = shownPath(req.url);
    if (!PROBES.has(path)) {
      const start = Date.now();
      const done = (err?: unknown) => {
        res.removeListener("close", done);
        res.removeListener("finish", done);
        res.removeListener("error", done);
        const status = res.statusCode;
        const failed = err !== undefined;
        const level = levelOf(status, failed);
        if (level === "silent") return;
        const fields: Record<string, unknown> = {
          reqId: id,
          req: { id, method: req.method, path },
          res: { status },
        };
        // By its kind (and code) only: the logger's `err` serializer (errorFields) writes it.
        if (failed || status >= 500)
          fields.err = failed ? err : new Error(`failed with status code ${status}`);
        const ms = Date.now() - start;
        fields.responseTime = ms;
        http[level](
          fields,
          failed || status >= 500
            ? `http: ${req.method} ${path} failed (HTTP ${status})`
            : `http: ${req.method} ${path} answered ${status} in ${ms} ms`,
        );
      };
      res.on("close", done);
      res.on("finish", done);
      res.on("error", done);
    }
    const surface = opts.surfaces.get(req.path);
    if (surface && opts.metrics) {
      const metrics = opts.metrics;
      const started = process.hrtime.bigint();
      res.once("finish", () => metrics.ack(surface, Number(process.hrtime.bigint() - started) / 1e9));
    }
    next();
  };
  return [observe];
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
