import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import express from "express";
import { afterAll, beforeAll, expect, test, vi } from "vitest";
import { observeRequests, requestLog } from "./http.ts";
import { createLogger } from "./logger.ts";

/** The request line over real HTTP: its fields and order, its level by status, and `req.log`. */

const lines: Record<string, unknown>[] = [];
const raw: string[] = [];
const stream = new Writable({
  write(chunk: Buffer, _enc, done) {
    for (const l of chunk.toString().split("\n").filter(Boolean)) {
      raw.push(l);
      lines.push(JSON.parse(l));
    }
    done();
  },
});
const log = createLogger({ stream });
let base = "";
let close = () => {};
beforeAll(async () => {
  const app = express();
  app.use(observeRequests(log, { surfaces: new Map() }));
  app.get("/ok", (req, res) => {
    requestLog(req, log).info("inside the request");
    res.send("ok");
  });
  app.get("/boom", (_req, res) => void res.status(500).send("no"));
  app.get("/refused", (_req, res) => void res.status(401).send("no"));
  app.get("/healthz", (_req, res) => void res.send("ok"));
  const server = app.listen(0, "127.0.0.1");
  await new Promise<void>((r) => server.once("listening", () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => server.close();
});
afterAll(() => close());

async function get(path: string): Promise<string> {
  const res = await fetch(`${base}${path}`);
  await res.text();
  return res.headers.get("x-request-id") ?? "";
}

/** The line about the request answered with `id`, once written (it follows the answer). */
async function lineFor(id: string, msg: RegExp): Promise<Record<string, unknown>> {
  // Bounded by a generous time, not by turns of the event loop (a loaded machine); nothing is timed.
  return vi.waitFor(
    () => {
      const found = lines.find((l) => l.reqId === id && msg.test(String(l.msg)));
      if (!found) throw new Error(`no line for ${id}`);
      return found;
    },
    { timeout: 20_000, interval: 2 },
  );
}

test("an answered request: one info line with the id sent back, method, path, status and time, in pino-http's order", async () => {
  const id = await get("/ok?name=Tallulah");
  expect(id).toMatch(/^[0-9a-f-]{36}$/);
  const line = await lineFor(id, /answered/);
  expect(line).toMatchObject({
    level: 30,
    component: "http",
    reqId: id,
    req: { id, method: "GET", path: "/ok" },
    res: { status: 200 },
  });
  expect(line.msg).toMatch(/^http: GET \/ok answered 200 in \d+ ms$/);
  expect(line.msg).toBe(`http: GET /ok answered 200 in ${line.responseTime} ms`);
  expect(Object.keys(line)).toEqual([
    "level",
    "time",
    "pid",
    "component",
    "reqId",
    "req",
    "res",
    "responseTime",
    "msg",
  ]);
  // A line logged through the request's logger carries its id; the query is never logged.
  expect(await lineFor(id, /inside/)).toMatchObject({ component: "http", reqId: id });
  expect(raw.join("\n")).not.toContain("Tallulah");
});

test("a 500 is an error line naming the failure's kind; a 401 a warning; 404s and probes are not logged", async () => {
  const boom = await get("/boom");
  expect(await lineFor(boom, /failed/)).toMatchObject({
    level: 50,
    res: { status: 500 },
    err: { type: "Error" },
    msg: "http: GET /boom failed (HTTP 500)",
  });
  const refused = await get("/refused");
  expect(await lineFor(refused, /answered/)).toMatchObject({ level: 40, res: { status: 401 } });
  const missing = await get("/nothing-here");
  const probe = await get("/healthz");
  // Their answers went out before the last one asked, whose line is written: theirs never were.
  const last = await get("/ok");
  await lineFor(last, /answered/);
  expect(lines.filter((l) => l.reqId === missing || l.reqId === probe)).toEqual([]);
});
