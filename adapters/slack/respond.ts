import type { RespondArguments } from "@slack/bolt";

/** Answers through the command's response_url; resolves once Slack has taken it. */
export type Respond = (message: string | RespondArguments) => Promise<void>;

import { request } from "undici";

/**
 * A slash command's `respond`: the same POST of the same JSON to its response_url as Bolt's (a
 * string is `{ text }`; a status outside 2xx throws, as Bolt's does), sent with undici's `request`
 * on the same global dispatcher, so the same kept-alive connections, that Node's `fetch` (which
 * Bolt's uses) runs on. `fetch` builds a WHATWG Request, Headers, a body stream written chunk by
 * chunk, and a Response: under load Bolt's respond was 5% of the server's CPU, two thirds of it that
 * machinery rather than the write (bench profile, README "Performance").
 */
export function respondTo(responseUrl: string): Respond {
  return async (message: string | RespondArguments) => {
    const body = JSON.stringify(typeof message === "string" ? { text: message } : message);
    const res = await request(responseUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    // Read to the end, so the connection goes back to the pool.
    await res.body.dump();
    if (res.statusCode < 200 || res.statusCode > 299)
      throw new RespondFailed(`Failed to respond to the response_url: ${res.statusCode}`, res.statusCode);
  };
}

/** As Bolt's RespondError: the response_url answered outside 2xx. */
export class RespondFailed extends Error {
  override readonly name = "RespondFailed";
  constructor(
    message: string,
    readonly statusCode: number,
  ) {
    super(message);
  }
}
