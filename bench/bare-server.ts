/**
 * The HTTP floor of this machine for the load bench: a bare express endpoint with the same Slack
 * signature check as the app (adapters/slack/verify.ts), answering 200 and doing nothing else.
 * Prints "port N" when listening.
 */
import express from "express";
import { verifySlack } from "../adapters/slack/verify.ts";
import { systemClock } from "../src/commands/clock.ts";

const secret = process.env.SLACK_SIGNING_SECRET ?? "";
const app = express();
app.post("/slack/events", ...verifySlack(secret, systemClock, () => {}), (_req, res) => {
  res.status(200).end();
});
const server = app.listen(0, "127.0.0.1", () => {
  const a = server.address();
  process.stdout.write(`port ${typeof a === "object" && a ? a.port : 0}\n`);
});
process.once("SIGTERM", () => server.close(() => process.exit(0)));
