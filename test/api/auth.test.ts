import { afterEach, describe, expect, test } from "vitest";
import type { Scope } from "../../src/api/clients.ts";
import { JANE, SAM } from "../helpers/ctx.ts";
import { type ApiHarness, startApi } from "./harness.ts";

let h: ApiHarness;
afterEach(async () => h?.close());

const PROBLEM = "application/problem+json; charset=utf-8";

describe("who may call the API", () => {
  test("no token, a wrong one and a revoked one are each a 401 problem, logged without the token", async () => {
    h = await startApi();
    const token = h.client("case-system", ["dashboards:read"]);
    const none = await h.call("GET", "/api/v1/dashboards/overview");
    expect(none.status).toBe(401);
    expect(none.type).toBe(PROBLEM);
    expect(none.headers.get("www-authenticate")).toBe('Bearer realm="sos-dashboards"');
    expect(none.body).toMatchObject({
      type: "urn:sos-dashboards:problem:unauthorized",
      status: 401,
      title: "Unauthorized",
      detail:
        'The request has no token: send "Authorization: Bearer <token>" with a token from sos api-client add.',
    });
    const wrong = await h.call("GET", "/api/v1/dashboards/overview", { token: `${token.slice(0, -2)}xx` });
    expect(wrong.status).toBe(401);
    expect(wrong.body.detail).toContain("not one this server knows, or it was revoked");

    expect((await h.call("GET", "/api/v1/dashboards/overview", { token })).status).toBe(200);
    h.t.ctx.store.sqlite
      .prepare("UPDATE api_clients SET revoked_at = ? WHERE name = ?")
      .run("2016-03-01", "case-system");
    const revoked = await h.call("GET", "/api/v1/dashboards/overview", { token });
    expect(revoked.status).toBe(401);

    expect(h.logs).toEqual([
      "api: GET /dashboards/overview refused (401, no token)",
      "api: GET /dashboards/overview refused (401, a token that is wrong or revoked)",
      "api: GET /dashboards/overview refused (401, a token that is wrong or revoked)",
    ]);
    for (const l of h.logs) expect(l).not.toContain(token.slice(4, 12));
  });

  test("only a hash of the token is stored", async () => {
    h = await startApi();
    const token = h.client("case-system", ["dashboards:read"]);
    expect(token).toMatch(/^sos_[A-Za-z0-9_-]{43}$/);
    const row = h.t.ctx.store.sqlite.prepare("SELECT token_hash FROM api_clients").get() as {
      token_hash: string;
    };
    expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.token_hash).not.toContain(token.slice(4));
  });

  const ENTRY = { caseId: "12345", element: "mapped-with-family", recordedBy: JANE };
  // Each route with its scope: allowed with it, a 403 naming it without.
  const ROUTES: [Scope, string, string, unknown][] = [
    ["practice:write", "POST", "/api/v1/practice", ENTRY],
    ["cases:write", "POST", "/api/v1/cases/12345/close", { by: SAM, outcome: "referred-on" }],
    ["cases:read", "GET", "/api/v1/cases/12345", undefined],
    ["dashboards:read", "GET", "/api/v1/dashboards/overview", undefined],
    ["dashboards:read", "GET", "/api/v1/stuck", undefined],
  ];
  test.each(ROUTES)(
    "%s: %s %s is allowed with the scope and refused without it",
    async (scope, method, path, body) => {
      h = await startApi();
      const others = (["practice:write", "cases:write", "cases:read", "dashboards:read"] as const).filter(
        (s) => s !== scope,
      );
      const without = h.client("without", others);
      const refused = await h.call(method, path, { token: without, body });
      expect(refused.status).toBe(403);
      expect(refused.type).toBe(PROBLEM);
      expect(refused.body).toMatchObject({
        type: "urn:sos-dashboards:problem:forbidden_scope",
        detail: `The client without may not do this: it needs the scope ${scope} (it has ${others.join(", ")}).`,
      });
      expect(h.logs).toContain(
        `api: ${method} ${path.replace("/api/v1", "")} refused (403, client without lacks ${scope})`,
      );
      const allowed = await h.call(method, path, { token: h.client("with", [scope]), body });
      expect(allowed.status).toBeLessThan(300);
    },
  );

  test("a client limited to a team writes and reads that team's cases only", async () => {
    h = await startApi();
    const south = h.client("south-system", ["practice:write", "dashboards:read", "cases:read"], ["south"]);
    const write = await h.call("POST", "/api/v1/practice", {
      token: south,
      body: { caseId: "12345", element: "mapped-with-family", recordedBy: SAM },
    });
    expect(write.status).toBe(403);
    expect(write.body).toMatchObject({
      type: "urn:sos-dashboards:problem:forbidden_team",
      detail: "Case 12345 is in another team: the client south-system is limited to south.",
    });
    expect(h.logs).toContain("api: POST /practice refused (403, client south-system: forbidden_team)");
    // Opening a case into North Team is held to the same limit (the allocation names the team).
    const writer = h.client("south-cases", ["cases:write"], ["south"]);
    const open = await h.call("POST", "/api/v1/cases", {
      token: writer,
      body: {
        by: SAM,
        caseId: "40009",
        childName: "Tia Brown",
        age: 7,
        service: "statutory-cp",
        worker: JANE,
      },
    });
    expect(open.status).toBe(403);
    expect(open.body.detail).toBe(
      "That would put the case in team north: the client south-cases is limited to south.",
    );
    expect(await h.t.ctx.records.reads.case("40009")).toBeUndefined();
    const north = await h.call("GET", "/api/v1/dashboards/overview?team=north", { token: south });
    expect(north.status).toBe(400);
    expect(north.body.detail).toBe("The client south-system is limited to south.");
    const own = await h.call("GET", "/api/v1/dashboards/overview", { token: south });
    expect(own.status).toBe(200);
    // The client's one team: its worker's (empty) table, and none of North Team's cases.
    expect(own.body.groups).toEqual([{ worker: "Stu South", title: "Stu South's Cases", rows: [] }]);
    const c = await h.call("GET", "/api/v1/cases/12345", { token: south });
    expect(c.status).toBe(404);
  });

  test("an unknown route is a problem too", async () => {
    h = await startApi();
    const r = await h.call("GET", "/api/v1/nothing", { token: h.client("x", ["dashboards:read"]) });
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({
      type: "urn:sos-dashboards:problem:not_found",
      detail: "There is no GET /nothing in this API: see /api/v1/openapi.json.",
    });
  });
});
