import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, test } from "vitest";
import { RespondFailed, respondTo } from "../../adapters/slack/respond.ts";

/** A slash command's respond against a real local response_url: what is sent, and a refusal thrown. */

const got: { url: string; type: string; body: string }[] = [];
let base = "";
const server = createServer((req: IncomingMessage, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    got.push({
      url: req.url ?? "",
      type: req.headers["content-type"] ?? "",
      body: Buffer.concat(chunks).toString("utf8"),
    });
    if (req.url === "/expired") res.writeHead(404).end("no_response_url");
    else res.writeHead(200, { "content-type": "text/plain" }).end("ok");
  });
});
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

test("a message is posted as JSON, as Bolt's respond posts it; a string is its text", async () => {
  const message = { response_type: "ephemeral" as const, text: "Recorded *Danger statement* for 32346." };
  await respondTo(`${base}/r1`)(message);
  await respondTo(`${base}/r2`)("just words");
  expect(got.slice(-2)).toEqual([
    { url: "/r1", type: "application/json", body: JSON.stringify(message) },
    { url: "/r2", type: "application/json", body: JSON.stringify({ text: "just words" }) },
  ]);
});

test("a response_url answering outside 2xx is thrown, with its status; the next one still goes", async () => {
  await expect(respondTo(`${base}/expired`)("late")).rejects.toEqual(
    expect.objectContaining({ name: "RespondFailed", statusCode: 404 }),
  );
  await expect(respondTo(`${base}/expired`)("late")).rejects.toBeInstanceOf(RespondFailed);
  await respondTo(`${base}/r3`)("after");
  expect(got.at(-1)?.url).toBe("/r3");
});
