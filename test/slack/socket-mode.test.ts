import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, test } from "vitest";
import { type WebSocket, WebSocketServer } from "ws";
import { createSlackSurface, type SlackSurface } from "../../adapters/slack/app.ts";
import { createApp, listen, type RunningServer } from "../../src/server/http.ts";
import { makeTestCtx, type TestCtx } from "../helpers/ctx.ts";
import { U } from "./harness.ts";
import { type Recorder, startSlackRecorder } from "./recorder.ts";

/**
 * Socket Mode against a stand-in for Slack's WebSocket: apps.connections.open hands out its URL,
 * it says hello, then delivers envelopes and reads the acks. No public URL, no signing secret.
 */

let t: TestCtx;
let rec: Recorder;
let wss: WebSocketServer;
let surface: SlackSurface;
let running: RunningServer;
const logs: string[] = [];
const sockets: WebSocket[] = [];
const socketWaiters: ((ws: WebSocket) => void)[] = [];
const acks = new Map<string, (msg: Record<string, unknown>) => void>();

function nextSocket(): Promise<WebSocket> {
  return new Promise((resolve) => socketWaiters.push(resolve));
}

beforeAll(async () => {
  t = makeTestCtx();
  rec = await startSlackRecorder();
  wss = new WebSocketServer({ port: 0, host: "127.0.0.1" });
  await new Promise<void>((r) => wss.once("listening", () => r()));
  const wsUrl = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/link`;
  rec.responses["apps.connections.open"] = () => ({ ok: true, url: wsUrl });
  wss.on("connection", (ws) => {
    sockets.push(ws);
    ws.on("message", (data) => {
      const msg = JSON.parse(String(data)) as Record<string, unknown>;
      const id = String(msg.envelope_id);
      acks.get(id)?.(msg);
    });
    ws.send(JSON.stringify({ type: "hello", num_connections: 1, connection_info: { app_id: "A1" } }));
    socketWaiters.shift()?.(ws);
  });
  const first = nextSocket();
  surface = createSlackSurface(
    t.ctx,
    { mode: "socket", botToken: "xoxb-test", appToken: "xapp-1-test", apiUrl: rec.apiUrl },
    { log: (l) => logs.push(l), retries: 0, backoff: { firstMs: 10, maxMs: 50 } },
  );
  running = await listen(createApp(t.ctx, [surface.mount]), 0, [surface.mount]);
  await first;
});

afterAll(async () => {
  await running.close();
  for (const ws of wss.clients) ws.terminate();
  await new Promise<void>((r) => wss.close(() => r()));
  await rec.close();
  t.close();
});

function slashEnvelope(id: string, text: string) {
  return {
    envelope_id: id,
    type: "slash_commands",
    accepts_response_payload: true,
    payload: {
      token: "unused",
      team_id: "T1",
      team_domain: "agency",
      channel_id: "C0DEMONORTH",
      channel_name: "north-team",
      user_id: U.jane,
      user_name: "jane",
      command: "/sos",
      text,
      api_app_id: "A1",
      response_url: rec.responseUrl(id),
      trigger_id: `trig-${id}`,
    },
  };
}

async function send(ws: WebSocket, id: string, text: string) {
  const acked = new Promise<Record<string, unknown>>((resolve) => acks.set(id, resolve));
  ws.send(JSON.stringify(slashEnvelope(id, text)));
  return acked;
}

test("connects out with the app token, acks a slash command over the socket, then replies", async () => {
  const open = rec.of("apps.connections.open")[0]!;
  expect(open.headers.authorization).toBe("Bearer xapp-1-test");
  const ack = await send(sockets[0]!, "env-1", "mapped-with-family 12345");
  expect(ack.envelope_id).toBe("env-1");
  const reply = await rec.waitFor("response_url:env-1");
  expect(reply.body.text).toContain("Recorded Mapping with Family on 01/03/16 (today) for case 12345");
  expect(logs).toContain("Socket Mode connected.");
});

test("when Slack drops the connection, it connects again by itself and carries on", async () => {
  const again = nextSocket();
  sockets[0]!.close(1001, "going away");
  const ws = await again;
  expect(rec.of("apps.connections.open").length).toBeGreaterThanOrEqual(2);
  await send(ws, "env-2", "whoami");
  const reply = await rec.waitFor("response_url:env-2");
  expect(reply.body.text).toContain("You are Jane Smith");
  expect(logs.some((l) => l.startsWith("Socket Mode disconnected; connecting again"))).toBe(true);
  expect(logs).toContain("Socket Mode connected again.");
});

test("with Slack out of reach it keeps trying, logging each failure, and stops cleanly", async () => {
  const t2 = makeTestCtx();
  const down = await startSlackRecorder();
  await down.close();
  const lines: string[] = [];
  let third: () => void = () => {};
  const enough = new Promise<void>((resolve) => {
    third = resolve;
  });
  const s = createSlackSurface(
    t2.ctx,
    { mode: "socket", botToken: "xoxb-test", appToken: "xapp-1-test", apiUrl: down.apiUrl },
    {
      log: (l) => {
        lines.push(l);
        if (lines.filter((x) => x.startsWith("Socket Mode could not connect")).length === 3) third();
      },
      retries: 0,
      backoff: { firstMs: 5, maxMs: 20 },
    },
  );
  s.mount.mount(createApp(t2.ctx, []));
  await enough;
  await s.mount.stop?.();
  expect(lines.find((l) => l.startsWith("Socket Mode could not connect"))).toMatch(
    /^Socket Mode could not connect \(ECONNREFUSED\); connecting again in \d+ s\.$/,
  );
  t2.close();
});
