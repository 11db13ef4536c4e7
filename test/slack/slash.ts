import { expect } from "vitest";
import { PATIENCE_MS } from "../helpers/sos-start.ts";
import { FORM, sign } from "./harness.ts";
import type { Recorder } from "./recorder.ts";

/** A running server that Slack posts to, and the recorder standing in for Slack's side. */
export interface SlashTarget {
  readonly port: number;
  readonly slack: Recorder;
}

/**
 * `/sos <text>` from a Slack user, signed as Slack signs it, to a spawned `sos start`: the reply it
 * got over the response URL, as its text, and the request id the server answered with. The target
 * is looked up at each call, because the tests start it in `beforeAll`.
 */
export function slashCommands(
  secret: string,
  target: () => SlashTarget,
): (user: string, text: string) => Promise<{ reply: string; requestId: string | null }> {
  let seq = 0;
  return async (user, text) => {
    const { port, slack } = target();
    const id = `r${++seq}`;
    const body = new URLSearchParams({
      team_id: "T1",
      channel_id: "D1",
      user_id: user,
      user_name: user.toLowerCase(),
      command: "/sos",
      text,
      api_app_id: "A1",
      response_url: slack.responseUrl(id),
      trigger_id: `trig-${id}`,
    }).toString();
    const ts = Math.floor(Date.now() / 1000);
    const res = await fetch(`http://127.0.0.1:${port}/slack/events`, {
      method: "POST",
      headers: {
        "content-type": FORM,
        "x-slack-request-timestamp": String(ts),
        "x-slack-signature": sign(secret, ts, body),
      },
      body,
    });
    expect(res.status).toBe(200);
    const reply = await slack.waitFor(`response_url:${id}`, PATIENCE_MS);
    return { reply: String(reply.body.text), requestId: res.headers.get("x-request-id") };
  };
}
