import { authorizeJWT } from "@microsoft/agents-hosting";
import express, { type Express, type Request, type Response } from "express";
import type { TeamsBot } from "./bot.ts";
import { errorName } from "./turn.ts";

export const TEAMS_PATH = "/api/messages";

/**
 * POST /api/messages on the app's one server: the token check (skipped only when no app id is set,
 * which is local mode), then the JSON body (parsed here only: Slack's route needs its raw body),
 * then the SDK runs the turn and writes the answer once every reply has been sent.
 */
export function mountTeams(app: Express, bot: TeamsBot): void {
  const json = express.json({ limit: "1mb" });
  app.post(
    TEAMS_PATH,
    authorizeJWT(bot.authConfig),
    (req, res, next) =>
      json(req, res, (err?: unknown) => (err ? badRequest(res, "the body is not JSON") : next())),
    async (req: Request, res: Response) => {
      const body: unknown = req.body;
      if (
        typeof body !== "object" ||
        body === null ||
        typeof (body as { type?: unknown }).type !== "string"
      ) {
        badRequest(res, "expected a Bot Framework activity as JSON (Content-Type: application/json)");
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

function badRequest(res: Response, error: string): void {
  res.status(400).json({ error });
}
