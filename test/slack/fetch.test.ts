import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, test } from "vitest";
import { lightFetch } from "../../adapters/slack/fetch.ts";

// A local server that says back what it was sent: the method, the content type and the body.
let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (req.url === "/empty") return void res.writeHead(204).end();
      if (req.url === "/missing") return void res.writeHead(404, { "retry-after": "3" }).end("no such thing");
      res.writeHead(200, { "content-type": "application/json" }).end(
        JSON.stringify({
          method: req.method,
          type: req.headers["content-type"] ?? null,
          body: Buffer.concat(chunks).toString("utf8"),
        }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

test("a form post is sent as given and its JSON answer read", async () => {
  const res = await lightFetch(`${base}/api/views.publish`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: "user_id=U1&view=%7B%7D",
  });
  expect(res.status).toBe(200);
  expect(res.ok).toBe(true);
  expect(res.headers.get("content-type")).toBe("application/json");
  expect(await res.json()).toEqual({
    method: "POST",
    type: "application/x-www-form-urlencoded",
    body: "user_id=U1&view=%7B%7D",
  });
});

test("an error status is an answer, not a failure, with its headers and body", async () => {
  const res = await lightFetch(`${base}/missing`, { method: "POST", body: "x" });
  expect(res.ok).toBe(false);
  expect(res.status).toBe(404);
  expect(res.headers.get("retry-after")).toBe("3");
  expect(await res.text()).toBe("no such thing");
});

test("a 204 answer has no body", async () => {
  const res = await lightFetch(`${base}/empty`, { method: "POST" });
  expect(res.status).toBe(204);
  expect(await res.text()).toBe("");
});

test("a file upload's FormData goes through the global fetch, arriving as multipart", async () => {
  const form = new FormData();
  form.append("file", new Blob(["a,b\n1,2\n"]), "cases.csv");
  const res = await lightFetch(`${base}/upload`, { method: "POST", body: form });
  const got = (await res.json()) as { type: string; body: string };
  expect(got.type).toMatch(/^multipart\/form-data; boundary=/);
  expect(got.body).toContain("a,b\n1,2\n");
});

test("an aborted call rejects as an abort", async () => {
  const gone = AbortSignal.abort();
  await expect(
    lightFetch(`${base}/api/x`, { method: "POST", body: "x", signal: gone }),
  ).rejects.toMatchObject({
    name: "AbortError",
  });
});

test("a refused connection rejects with the system's code", async () => {
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((r) => closed.close(() => r()));
  await expect(lightFetch(`http://127.0.0.1:${port}/api/x`, { method: "POST" })).rejects.toMatchObject({
    code: "ECONNREFUSED",
  });
});
