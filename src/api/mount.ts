import express, { type ErrorRequestHandler, type Request, type Response, Router } from "express";
import type { Ctx } from "../commands/ctx.ts";
import type { Mount } from "../server/http.ts";
import { sqliteApiClients } from "../store/api-clients.ts";
import { authenticate, clientOf, requireScope } from "./auth.ts";
import { type ApiAnswer, carryOut, type Decision, fingerprint, IDEMPOTENCY_KEY } from "./carry-out.ts";
import { decideCaseWrite } from "./cases-write.ts";
import type { ActiveApiClients } from "./clients.ts";
import { API_LIMITS } from "./limits.ts";
import { openApiDocument } from "./openapi.ts";
import { decidePractice, entriesOf } from "./practice.ts";
import { type Problem, problem, sendProblem } from "./problems.ts";
import { tokenBuckets } from "./rate-limit.ts";
import { readRoutes } from "./reads.ts";

export const API_BASE = "/api/v1";

/** The API's mount, and the routes it serves (for the test that holds the document to them). */
export interface ApiMount extends Mount {
  routes(): { method: string; path: string }[];
}

function send(res: Response, a: ApiAnswer): void {
  if (a.replayed) res.set("Idempotent-Replayed", "true");
  const body = a.body as Partial<Problem>;
  if (a.status >= 400 && typeof body.type === "string") sendProblem(res, body as Problem);
  else res.status(a.status).json(a.body);
}

/**
 * The HTTP API for case-recording systems and data teams, under `/api/v1` on the app's one server.
 * Served whenever the app runs (a server with no clients refuses every request with a 401), so
 * adding the first client needs no restart. Every route: a bearer token, the route's scope, the
 * client's rate, then the same commands and views chat uses.
 */
export function apiMount(
  ctx: Ctx,
  opts: {
    /** the client table; by default the SQLite file's (`sos start` on PostgreSQL passes its own) */
    clients?: ActiveApiClients;
    log?: (line: string) => void;
    describe?: string;
    /** the per-client rate (the benchmark lifts it to measure the rest) */
    rate?: { readonly requests: number; readonly windowMs: number };
  } = {},
): ApiMount {
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const clients = opts.clients ?? sqliteApiClients(ctx.store.db);
  const rate = opts.rate ?? { requests: API_LIMITS.requests, windowMs: API_LIMITS.windowMs };
  const buckets = tokenBuckets(ctx.clock, rate.requests, rate.windowMs);
  const router = Router();
  const document = openApiDocument();

  // The document holds no records: a system's developer reads it before they have a token.
  router.get("/openapi.json", (_req, res) => {
    res.json(document);
  });
  router.use(authenticate(clients, log));
  router.use((req, res, next) => {
    const client = clientOf(res);
    const taken = buckets.take(client.id);
    if (taken.ok) {
      next();
      return;
    }
    log(`api: ${req.method} ${req.path.slice(0, 80)} refused (429, client ${client.name})`);
    res.set("Retry-After", String(taken.retryAfterS));
    sendProblem(
      res,
      problem(
        "rate_limited",
        `The client ${client.name} sent more than ${rate.requests} requests in ${rate.windowMs / 1000} seconds: wait ${taken.retryAfterS} s (Retry-After) and send it again; nothing was done.`,
      ),
    );
  });
  router.use(express.json({ limit: API_LIMITS.bodyBytes }));

  /** A write: once per Idempotency-Key, decided on the record as it is. */
  const write =
    (decide: (req: Request, res: Response) => Promise<Decision>) =>
    async (req: Request, res: Response): Promise<void> => {
      const key = req.get("idempotency-key");
      if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
        sendProblem(
          res,
          problem(
            "bad_idempotency_key",
            "The Idempotency-Key must be 1 to 255 printable characters with no spaces (a UUID is best).",
          ),
        );
        return;
      }
      const client = clientOf(res);
      const pinned = ctx.pin();
      const answer = await carryOut(
        pinned,
        client,
        { key, fingerprint: fingerprint(req.method, req.originalUrl, req.body) },
        () => decide(req, res),
      );
      // A 403 from the write itself (a team outside the client's, a person's role): one line, no content.
      if (answer.status === 403) {
        const code = (answer.body as Partial<Problem>).code ?? "forbidden";
        log(`api: ${req.method} ${req.path.slice(0, 80)} refused (403, client ${client.name}: ${code})`);
      }
      send(res, answer);
    };

  router.post(
    "/practice",
    requireScope("practice:write", log),
    write(async (req, res) => {
      const read = entriesOf(req.body);
      if ("problem" in read) return { answer: { status: read.problem.status, body: read.problem } };
      return decidePractice(ctx.pin(), clientOf(res), read.entries);
    }),
  );
  router.post(
    "/cases",
    requireScope("cases:write", log),
    write((req, res) => decideCaseWrite(ctx.pin(), clientOf(res), "open", null, req.body)),
  );
  router.patch(
    "/cases/:id",
    requireScope("cases:write", log),
    write((req, res) => decideCaseWrite(ctx.pin(), clientOf(res), "patch", String(req.params.id), req.body)),
  );
  router.post(
    "/cases/:id/close",
    requireScope("cases:write", log),
    write((req, res) => decideCaseWrite(ctx.pin(), clientOf(res), "close", String(req.params.id), req.body)),
  );
  readRoutes(router, ctx, log);

  router.use((req, res) => {
    sendProblem(
      res,
      problem(
        "not_found",
        `There is no ${req.method} ${req.path.slice(0, 80)} in this API: see /api/v1/openapi.json.`,
      ),
    );
  });
  const errors: ErrorRequestHandler = (err: unknown, req, res, next) => {
    const type = (err as { type?: unknown }).type;
    if (type === "entity.too.large") {
      log(`api: ${req.method} ${req.path.slice(0, 80)} refused (413, body too large)`);
      sendProblem(
        res,
        problem(
          "body_too_large",
          `The body is larger than ${API_LIMITS.bodyBytes / 1024 / 1024} MB: send a batch in parts (at most ${API_LIMITS.batch} entries each).`,
        ),
      );
      return;
    }
    if (type === "entity.parse.failed") {
      sendProblem(res, problem("bad_request", "The body is not valid JSON."));
      return;
    }
    // Anything else ends in the server's own handler: one log line, no message or stack.
    next(err);
  };
  router.use(errors);

  const routes = () =>
    router.stack.flatMap((layer) =>
      layer.route
        ? [...new Set(layer.route.stack.map((s) => s.method.toUpperCase()))].map((method) => ({
            method,
            path: layer.route!.path,
          }))
        : [],
    );
  return {
    name: "api",
    describe: opts.describe ?? `HTTP API: ${API_BASE} (bearer tokens from sos api-client add)`,
    mount(app) {
      app.use(API_BASE, router);
    },
    routes,
    listed: () => routes().map((r) => `${r.method} ${API_BASE}${r.path}`),
  };
}
