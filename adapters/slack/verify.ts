import { verifySlackRequest } from "@slack/bolt";
import express, { type Request, type RequestHandler } from "express";
import type { Clock } from "../../src/app/clock.ts";

/**
 * Slack's request signing (`v0:timestamp:body`, HMAC-SHA256 with the signing secret), checked against
 * a given clock (real time in production, the test's clock in tests) in both directions: a timestamp
 * more than five minutes old or ahead is refused, so a captured request cannot be replayed. Bolt's
 * own check reads Date.now() and only refuses old ones. Runs before Bolt and hands it the raw body
 * (Bolt reuses `req.rawBody`).
 */
export const MAX_SKEW_SECONDS = 300;

export function verifySlack(signingSecret: string, clock: Clock): RequestHandler[] {
  const check: RequestHandler = (req, res, next) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const ts = Number(req.header("x-slack-request-timestamp"));
    const signature = req.header("x-slack-signature") ?? "";
    const now = clock.now().getTime();
    if (!Number.isInteger(ts) || Math.abs(now / 1000 - ts) > MAX_SKEW_SECONDS || signature === "") {
      res.status(401).end();
      return;
    }
    try {
      verifySlackRequest({
        signingSecret,
        body: raw.toString("utf8"),
        headers: { "x-slack-signature": signature, "x-slack-request-timestamp": ts },
        nowMilliseconds: now,
      });
    } catch {
      res.status(401).end();
      return;
    }
    (req as Request & { rawBody?: Buffer }).rawBody = raw;
    // Bolt compares the content type exactly; "…; charset=utf-8" would make it fail to parse a form.
    const type = req.headers["content-type"];
    if (type) req.headers["content-type"] = type.split(";")[0]!.trim().toLowerCase();
    next();
  };
  return [express.raw({ type: () => true, limit: "1mb" }), check];
}
