import { afterEach, describe, expect, test } from "vitest";
import { makeInvocation } from "../../src/commands/invocation.ts";
import { dashboardFor, OPERATOR } from "../../src/commands/views.ts";
import { teamDigest } from "../../src/digest/team-digest.ts";
import { dashboardJson } from "../../src/render/json.ts";
import { JANE, SAM } from "../helpers/ctx.ts";
import { type ApiHarness, startApi } from "./harness.ts";

let h: ApiHarness;
afterEach(async () => h?.close());

describe("reads", () => {
  test("a dashboard is the JSON sos dashboard --format json prints, names as a channel shows them", async () => {
    h = await startApi();
    const token = h.client("data-team", ["dashboards:read"]);
    const r = await h.call("GET", `/api/v1/dashboards/statutory-cp?worker=${JANE}`, { token });
    expect(r.status).toBe(200);
    const env = makeInvocation(h.t.ctx, OPERATOR, "cli", "channel");
    const expected = dashboardJson(
      (await dashboardFor(env, { kind: "worker", worker: h.t.as(JANE) }, "statutory-cp"))[0]!,
    );
    expect(r.body).toEqual(expected);
    expect(JSON.stringify(r.body)).not.toContain("Melli");
    expect(JSON.stringify(r.body)).toContain("M.M.");
    const unknown = await h.call("GET", "/api/v1/dashboards/nope", { token });
    expect(unknown.status).toBe(422);
    expect(unknown.body.detail).toBe(
      'There is no dashboard "nope": the dashboards are overview, statutory-cp, family-support, voluntary.',
    );
  });

  test("stuck cases come a page at a time, with a cursor to the next", async () => {
    h = await startApi();
    const token = h.client("data-team", ["dashboards:read"]);
    const all = await h.call("GET", "/api/v1/stuck", { token });
    const ids = (all.body.items as { caseId: string }[]).map((i) => i.caseId);
    expect(ids.length).toBeGreaterThan(2);
    expect(all.body.next).toBeNull();
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<ApiHarness["call"]>> = await h.call(
        "GET",
        `/api/v1/stuck?limit=2${cursor ? `&cursor=${cursor}` : ""}`,
        { token },
      );
      expect(page.status).toBe(200);
      const items = page.body.items as { caseId: string }[];
      expect(items.length).toBeLessThanOrEqual(2);
      seen.push(...items.map((i) => i.caseId));
      cursor = page.body.next as string | null;
    } while (cursor);
    expect(seen).toEqual([...ids].sort());
    const bad = await h.call("GET", "/api/v1/stuck?limit=0", { token });
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toBe("limit must be a whole number from 1 to 500.");
  });

  test("a case: its row, entries and history, without notes or the full name", async () => {
    h = await startApi();
    await h.t.run(JANE, "safety-scale 12345 6 -- a private note about the family");
    const token = h.client("case-system", ["cases:read"]);
    const r = await h.call("GET", "/api/v1/cases/12345", { token });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      caseId: "12345",
      child: "M.M. 13",
      status: "open",
      worker: JANE,
      teamId: "north",
    });
    const entries = r.body.entries as {
      element: string;
      value: number | null;
      hasNote: boolean;
      surface: string;
    }[];
    expect(entries.at(-1)).toMatchObject({
      element: "safety-scale",
      value: 6,
      hasNote: true,
      surface: "cli",
    });
    expect(JSON.stringify(r.body)).not.toMatch(/private note|Melli/);
    const none = await h.call("GET", "/api/v1/cases/99999", { token });
    expect(none.status).toBe(404);
    expect(none.body.type).toBe("urn:sos-dashboards:problem:unknown_case");
  });

  test("rate limit: a client's burst past its limit gets 429 with Retry-After, others are not slowed", async () => {
    h = await startApi();
    const token = h.client("data-team", ["dashboards:read"]);
    const other = h.client("case-system", ["dashboards:read"]);
    for (let i = 0; i < 120; i++)
      expect((await h.call("GET", "/api/v1/stuck?limit=1", { token })).status).toBe(200);
    const over = await h.call("GET", "/api/v1/stuck?limit=1", { token });
    expect(over.status).toBe(429);
    expect(over.headers.get("retry-after")).toBe("1");
    expect(over.body).toMatchObject({ type: "urn:sos-dashboards:problem:rate_limited" });
    expect((await h.call("GET", "/api/v1/stuck?limit=1", { token: other })).status).toBe(200);
    // Tokens come back evenly: 120 a minute is one each half second.
    h.clock.advance(500);
    expect((await h.call("GET", "/api/v1/stuck?limit=1", { token })).status).toBe(200);
    expect((await h.call("GET", "/api/v1/stuck?limit=1", { token })).status).toBe(429);
    expect(h.logs).toContain("api: GET /stuck refused (429, client data-team)");
  });
});

describe("coverage", () => {
  test("weekly coverage per team and element is the digest's, and elements against outcomes count closed cases", async () => {
    h = await startApi({ today: "2016-03-07" });
    const token = h.client("data-team", ["dashboards:read", "practice:write", "cases:write"]);
    expect(
      (
        await h.call("POST", "/api/v1/practice", {
          token,
          body: { caseId: "12345", element: "mapped-with-family", date: "2016-03-04", recordedBy: JANE },
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await h.call("POST", "/api/v1/cases/22345/close", {
          token,
          body: { by: SAM, outcome: "referred-on", date: "2016-03-03" },
        })
      ).status,
    ).toBe(200);
    const r = await h.call("GET", "/api/v1/coverage?from=2016-02-29&to=2016-03-07", { token });
    expect(r.status).toBe(200);
    expect(r.body.weekEnds).toEqual(["2016-02-29", "2016-03-07"]);
    type Week = { weekEnding: string; elements: Record<string, { has: number; of: number }> };
    const north = (r.body.teams as { teamId: string; weeks: Week[] }[]).find((t) => t.teamId === "north")!;
    const share = (t: { has: number; of: number }) =>
      `${Math.round((100 * t.has) / t.of)}% (${t.has}/${t.of})`;
    const digest = await teamDigest(makeInvocation(h.t.ctx, OPERATOR, "digest", "channel"), "north", {
      asOf: "2016-03-07",
      period: "2016-W10",
      late: false,
    });
    const row = digest.coverage.rows.find((x) => x[0] === "Mapping with Family")!;
    expect(share(north.weeks[1]!.elements["mapping-with-family"]!)).toBe(row[1]);
    expect(north.weeks[1]!.elements["mapping-with-family"]!.has).toBe(
      north.weeks[0]!.elements["mapping-with-family"]!.has + 1,
    );
    const outcomes = r.body.outcomes as { outcome: string; cases: number }[];
    expect(outcomes).toContainEqual(expect.objectContaining({ outcome: "referred-on", cases: 1 }));
    const bad = await h.call("GET", "/api/v1/coverage?from=2016-03-07&to=2016-02-01", { token });
    expect(bad.body.detail).toBe("from must be on or before to.");
  });
});
