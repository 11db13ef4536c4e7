import { type Request as AgentRequest, authorizeJWT } from "@microsoft/agents-hosting";
import express, { type Express, type Request, type RequestHandler, type Response } from "express";
import { z } from "zod";
import { isLoopbackUrl } from "../../src/server/http.ts";
import type { TeamsBot } from "./bot.ts";
import { errorName } from "./turn.ts";

export const TEAMS_PATH = "/api/messages";

/** The least an activity must be before the SDK runs it: it assumes a sender and a conversation. */
const activity = z.object({
  type: z.string().min(1),
  from: z.object({ id: z.string().min(1) }),
  conversation: z.object({ id: z.string().min(1) }),
  serviceUrl: z.string().min(1).optional(),
});

/** The same connector, written with or without its trailing slash or in another case of host. */
function sameUrl(a: string, b: string): boolean {
  try {
    const [x, y] = [new URL(a), new URL(b)];
    const path = (u: URL) => u.pathname.replace(/\/+$/, "");
    return x.origin === y.origin && path(x) === path(y);
  } catch {
    return false;
  }
}

/**
 * POST /api/messages on the app's one server: the token check (skipped only when no app id is set,
 * which is local mode), then the JSON body (parsed here only: Slack's route needs its raw body),
 * then who may be answered: with credentials only the connector the token vouches for (its
 * `serviceurl` claim), anonymous only a connector on this machine. Then the SDK runs the turn and
 * writes the answer once every reply has been sent. Each refusal is one log line, naming no content.
 */
export function mountTeams(app: Express, bot: TeamsBot): void {
  const json = express.json({ limit: "1mb" });
  const jwt = authorizeJWT(bot.authConfig);
  const refuse = (res: Response, status: number, why: string) => {
    bot.deps.log(`teams: refused a request (HTTP ${status}): ${why}`);
    if (!res.headersSent) res.status(status).json({ error: why });
  };
  const token: RequestHandler = (req, res, next) => {
    let passed = false;
    void jwt(req, res, () => {
      passed = true;
      next();
    }).then(() => {
      // The SDK answered 401 (or 405) itself.
      if (!passed)
        bot.deps.log(`teams: refused a request (HTTP ${res.statusCode}): no valid Microsoft token`);
    });
  };
  app.post(
    TEAMS_PATH,
    token,
    (req, res, next) =>
      json(req, res, (err?: unknown) => {
        if (!err) return next();
        const tooLarge = (err as { type?: unknown }).type === "entity.too.large";
        refuse(
          res,
          tooLarge ? 413 : 400,
          tooLarge ? "the body is larger than 1 MB" : "the body is not a JSON object",
        );
      }),
    async (req: Request, res: Response) => {
      const parsed = activity.safeParse(req.body);
      if (!parsed.success) {
        refuse(
          res,
          400,
          "expected a Bot Framework activity as JSON (Content-Type: application/json) with a type, a sender and a conversation",
        );
        return;
      }
      const { serviceUrl } = parsed.data;
      if (bot.secure) {
        const claim = (req as AgentRequest).user?.serviceurl;
        if (typeof claim !== "string" || serviceUrl === undefined || !sameUrl(claim, serviceUrl)) {
          refuse(res, 401, "the Microsoft token does not vouch for the activity's serviceUrl");
          return;
        }
      } else if (serviceUrl !== undefined && !isLoopbackUrl(serviceUrl)) {
        // The SDK would send the replies (children's names) wherever the caller said.
        refuse(res, 403, "without Teams credentials only a connector on this machine is answered");
        return;
      }
      try {
        await bot.adapter.process(req, res, (turn) => bot.agent.run(turn));
      } catch (e) {
        bot.deps.log(`teams: request failed: ${errorName(e)}`);
        if (!res.headersSent) res.status(500).json({ error: "the activity could not be handled" });
      }
    },
  );
}
