import type { NextFunction, Request, Response } from "express";
import { type ActiveApiClients, type ApiClient, clientForToken, type Scope } from "./clients.ts";
import { problem, sendProblem } from "./problems.ts";

const BEARER = /^Bearer ([A-Za-z0-9_\-.~+/]+=*)$/;

/** The client a request was authenticated as (set by `authenticate`). */
export function clientOf(res: Response): ApiClient {
  const c = res.locals.apiClient as ApiClient | undefined;
  if (!c) throw new Error("an API route ran before authentication");
  return c;
}

/**
 * Bearer tokens: a missing, wrong or revoked token is a 401 and one log line that names the route,
 * never the token (nor any part of it).
 */
export function authenticate(clients: ActiveApiClients, log: (line: string) => void) {
  // Express 5 passes a rejected promise (the database unreachable) to the error handler.
  return async (req: Request, res: Response, next: NextFunction) => {
    const header = req.get("authorization");
    const m = header ? BEARER.exec(header.trim()) : null;
    const client = m ? clientForToken(await clients.active(), m[1]!) : null;
    if (!client) {
      log(
        `api: ${req.method} ${req.path.slice(0, 80)} refused (401, ${header ? "a token that is wrong or revoked" : "no token"})`,
      );
      res.set("WWW-Authenticate", 'Bearer realm="sos-dashboards"');
      sendProblem(
        res,
        problem(
          "unauthorized",
          header
            ? "The token is not one this server knows, or it was revoked: ask an admin for a client's token (sos api-client add)."
            : 'The request has no token: send "Authorization: Bearer <token>" with a token from sos api-client add.',
        ),
      );
      return;
    }
    res.locals.apiClient = client;
    next();
  };
}

/** A scope the client lacks is a 403, logged with the client's name. */
export function requireScope(scope: Scope, log: (line: string) => void) {
  return (req: Request, res: Response, next: NextFunction) => {
    const client = clientOf(res);
    if (client.scopes.includes(scope)) {
      next();
      return;
    }
    log(`api: ${req.method} ${req.path.slice(0, 80)} refused (403, client ${client.name} lacks ${scope})`);
    sendProblem(
      res,
      problem(
        "forbidden_scope",
        `The client ${client.name} may not do this: it needs the scope ${scope} (it has ${client.scopes.join(", ") || "none"}).`,
      ),
    );
  };
}

/** Whether a client limited to teams may touch a team's cases. */
export function clientMayTeam(client: ApiClient, teamId: string): boolean {
  return client.teams.length === 0 || client.teams.includes(teamId);
}
