import { afterEach, describe, expect, test } from "vitest";
import { auditLines } from "../../src/commands/audit-view.ts";
import { makeInvocation } from "../../src/commands/invocation.ts";
import { runCommand } from "../../src/commands/run.ts";
import { OPERATOR } from "../../src/commands/views.ts";
import { teamDigest } from "../../src/digest/team-digest.ts";
import { JANE, SAM } from "../helpers/ctx.ts";
import { type ApiHarness, eventCount, startApi } from "./harness.ts";

let h: ApiHarness;
afterEach(async () => h?.close());

const writer = () => h.client("case-system", ["practice:write", "cases:write"]);

describe("POST /api/v1/practice", () => {
  test("an entry from the case-recording system shows in /sos mine, in /sos case with where it came from, in the audit and in the digest", async () => {
    h = await startApi({ today: "2016-03-07" });
    const channel = makeInvocation(h.t.ctx, OPERATOR, "digest", "channel");
    const period = { asOf: "2016-03-07", period: "2016-W10", late: false } as const;
    const before = await teamDigest(channel, "north", period);
    expect(before.headline).toContain("0 with practice logged this week");

    const r = await h.call("POST", "/api/v1/practice", {
      token: writer(),
      body: { caseId: "12345", element: "mapped-with-family", date: "2016-03-04", recordedBy: JANE },
    });
    expect(r.status).toBe(201);
    expect(r.body).toEqual({
      recorded: 1,
      entries: [
        {
          index: 0,
          entryId: expect.any(Number),
          caseId: "12345",
          element: "mapping-with-family",
          occurredOn: "2016-03-04",
          value: null,
        },
      ],
    });
    const entryId = (r.body.entries as { entryId: number }[])[0]!.entryId;

    const mine = await h.t.run(JANE, "mine statutory-cp");
    const row = mine.dashboards![0]!.groups[0]!.rows.find((x) => x.caseId === "12345")!;
    expect(row.cells).toContain("04/03/16");

    const shown = await runCommand(h.t.ctx, {
      actor: h.t.as(JANE),
      text: "case 12345",
      surface: "slack",
      audience: "private",
    });
    expect(shown.text).toContain(
      `recorded by Jane Smith 07/03/16 12:00 via api:case-system (entry #${entryId})`,
    );

    const audit = auditLines(
      makeInvocation(h.t.ctx, OPERATOR, "cli", "private"),
      await h.t.ctx.records.reads.audit({ caseId: "12345" }),
    );
    expect(audit.at(-1)).toMatchObject({
      who: "Jane Smith",
      surface: "api:case-system",
      what: `recorded Mapping with Family on 04/03/16 (entry #${entryId})`,
    });

    const after = await teamDigest(channel, "north", period);
    expect(after.headline).toContain("1 with practice logged this week");

    // Jane did not type it here: her /sos undo does not take back the system's entry.
    await h.t.run(JANE, "undo");
    expect(await h.t.ctx.records.reads.retractionOf(entryId)).toBeUndefined();
  });

  test("a batch with bad items writes nothing and lists every bad item by index, with chat's sentences", async () => {
    h = await startApi();
    const before = eventCount(h.t);
    const chat = await h.t.run(JANE, "safety-scale 12345 11");
    expect(chat.ok).toBe(false);
    const r = await h.call("POST", "/api/v1/practice", {
      token: writer(),
      body: {
        entries: [
          { caseId: "12345", element: "mapped-with-family", recordedBy: JANE },
          { caseId: "12345", element: "safety-scale", value: 11, recordedBy: JANE },
          { caseId: "12346", element: "network", value: 4, recordedBy: JANE },
          { caseId: "99999", element: "network", value: 4, recordedBy: JANE },
          { caseId: "12345", element: "mapped-with-family", recordedBy: "nobody@demo-agency.example" },
          { caseId: "12345", element: "mapped-with-family", recordedBy: JANE },
          { caseId: "12345", element: "network", value: "four", recordedBy: JANE },
        ],
      },
    });
    expect(r.status).toBe(422);
    expect(r.type).toBe("application/problem+json; charset=utf-8");
    expect(r.body).toMatchObject({
      type: "urn:sos-dashboards:problem:batch_invalid",
      detail:
        "5 entries can't be recorded, so nothing was recorded: correct them and send the request again.",
    });
    const errors = r.body.errors as { index: number; code: string; detail: string }[];
    expect(errors.map((e) => [e.index, e.code])).toEqual([
      [1, "value_out_of_range"],
      [3, "unknown_case"],
      [4, "unknown_recorder"],
      [5, "already_recorded"],
      [6, "malformed"],
    ]);
    expect(errors[0]!.detail).toBe(chat.text);
    expect(errors[2]!.detail).toBe(
      'recordedBy "nobody@demo-agency.example" is not anyone on the staff list.',
    );
    expect(errors[4]!.detail).toBe(
      "The request's value is missing or not the right type: see /api/v1/openapi.json for the log body.",
    );
    expect(errors[3]!.detail).toBe(
      "Entry 5 is the same as entry 0 (case 12345, mapping-with-family, the same day and value): it would count twice, so send one of them.",
    );
    expect(eventCount(h.t)).toBe(before);
  });

  test("a batch of good entries is one write; the same entry again is refused as chat refuses it", async () => {
    h = await startApi();
    const token = writer();
    const before = eventCount(h.t);
    const entries = [
      { caseId: "12345", element: "mapped-with-family", recordedBy: JANE },
      { caseId: "12345", element: "safety-scale", value: 6, recordedBy: JANE },
      { caseId: "12346", element: "network-meeting", recordedBy: SAM, date: "2016-02-29" },
      { caseId: "12346", element: "network-meeting", recordedBy: SAM, date: "2016-02-29" },
    ];
    const r = await h.call("POST", "/api/v1/practice", { token, body: { entries } });
    expect(r.status).toBe(201);
    expect(r.body.recorded).toBe(4);
    expect(eventCount(h.t)).toBe(before + 4);
    const again = await h.call("POST", "/api/v1/practice", { token, body: entries[0] });
    expect(again.status).toBe(422);
    expect((again.body.errors as { code: string }[])[0]!.code).toBe("already_recorded");
    expect(eventCount(h.t)).toBe(before + 4);
  });

  test("Idempotency-Key: a retry gets the first answer and writes nothing; another body with the key is a 422", async () => {
    h = await startApi();
    const token = writer();
    const body = { caseId: "12345", element: "safety-scale", value: 5, recordedBy: JANE };
    const headers = { "idempotency-key": "4f1c-retry-1" };
    const before = eventCount(h.t);
    const first = await h.call("POST", "/api/v1/practice", { token, body, headers });
    expect(first.status).toBe(201);
    const retry = await h.call("POST", "/api/v1/practice", { token, body, headers });
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(eventCount(h.t)).toBe(before + 1);

    const other = await h.call("POST", "/api/v1/practice", { token, body: { ...body, value: 6 }, headers });
    expect(other.status).toBe(422);
    expect(other.body.type).toBe("urn:sos-dashboards:problem:idempotency_key_reused");
    expect(eventCount(h.t)).toBe(before + 1);

    // Keys are per client: another system's same key is its own request.
    const second = h.client("second-system", ["practice:write"]);
    const theirs = await h.call("POST", "/api/v1/practice", {
      token: second,
      body: { ...body, value: 7 },
      headers,
    });
    expect(theirs.status).toBe(201);
    expect(eventCount(h.t)).toBe(before + 2);

    // Two at once with one key: one write.
    const key = { "idempotency-key": "together" };
    const pair = await Promise.all(
      [0, 1].map(() =>
        h.call("POST", "/api/v1/practice", {
          token,
          body: { ...body, element: "network", value: 3 },
          headers: key,
        }),
      ),
    );
    expect(pair.map((p) => p.status)).toEqual([201, 201]);
    expect(eventCount(h.t)).toBe(before + 3);
  });

  test("limits: more than 1,000 entries, or a body over 4 MB, is refused with a problem and nothing written", async () => {
    h = await startApi();
    const token = writer();
    const before = eventCount(h.t);
    const entry = { caseId: "12345", element: "network-meeting", recordedBy: JANE };
    const many = await h.call("POST", "/api/v1/practice", {
      token,
      body: { entries: Array.from({ length: 1001 }, () => entry) },
    });
    expect(many.status).toBe(413);
    expect(many.body.detail).toBe(
      "A batch holds at most 1,000 entries; this one has 1,001: send it in parts.",
    );
    const huge = await h.call("POST", "/api/v1/practice", {
      token,
      raw: JSON.stringify({ entries: [{ ...entry, note: "x".repeat(5 * 1024 * 1024) }] }),
    });
    expect(huge.status).toBe(413);
    expect(huge.body.type).toBe("urn:sos-dashboards:problem:body_too_large");
    const bad = await h.call("POST", "/api/v1/practice", { token, raw: "{not json" });
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toBe("The body is not valid JSON.");
    expect(eventCount(h.t)).toBe(before);
  });
});

describe("case writes", () => {
  test("open, correct, move, transfer and close through the API, each as chat decides it", async () => {
    h = await startApi();
    const token = writer();
    const opened = await h.call("POST", "/api/v1/cases", {
      token,
      body: {
        by: SAM,
        caseId: "40001",
        childName: "Tia Brown",
        age: 7,
        service: "statutory-cp",
        worker: JANE,
      },
    });
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({ caseId: "40001", done: "open" });
    const again = await h.call("POST", "/api/v1/cases", {
      token,
      body: {
        by: SAM,
        caseId: "40001",
        childName: "Tia Brown",
        age: 7,
        service: "statutory-cp",
        worker: JANE,
      },
    });
    expect(again.status).toBe(409);
    expect(again.body.type).toBe("urn:sos-dashboards:problem:case_exists");

    const fix = await h.call("PATCH", "/api/v1/cases/40001", {
      token,
      body: { by: SAM, field: "ageAtOpening", value: 8 },
    });
    expect(fix.status).toBe(200);
    const moved = await h.call("PATCH", "/api/v1/cases/40001", {
      token,
      body: { by: SAM, service: "voluntary" },
    });
    expect(moved.status).toBe(200);
    const moved2 = await h.call("PATCH", "/api/v1/cases/40001", {
      token,
      body: { by: SAM, service: "voluntary" },
    });
    expect(moved2.status).toBe(409);
    expect(moved2.body.code).toBe("same_service");
    const both = await h.call("PATCH", "/api/v1/cases/40001", {
      token,
      body: { by: SAM, service: "voluntary", worker: JANE },
    });
    expect(both.status).toBe(400);
    const transfer = await h.call("PATCH", "/api/v1/cases/40001", {
      token,
      body: { by: SAM, worker: "ah.hin.xeng@demo-agency.example" },
    });
    expect(transfer.status).toBe(200);
    const closed = await h.call("POST", "/api/v1/cases/40001/close", {
      token,
      body: { by: SAM, outcome: "referred-on" },
    });
    expect(closed.status).toBe(200);

    const c = (await h.t.ctx.records.reads.case("40001"))!;
    expect(c).toMatchObject({ status: "closed", service: "voluntary", ageAtOpening: 8 });
    const history = await h.t.ctx.records.reads.caseHistory("40001");
    expect(history.map((e) => [e.kind, e.surface])).toEqual([
      ["corrected", "api:case-system"],
      ["moved", "api:case-system"],
      ["closed", "api:case-system"],
    ]);
  });

  test("a refusal carries chat's sentence for the same command, and the role rule of the person named", async () => {
    h = await startApi();
    const token = writer();
    const body = { caseId: "40002", childName: "Sam Adult", age: 19, service: "statutory-cp", worker: JANE };
    const chat = await runCommand(h.t.ctx, {
      actor: h.t.as(SAM),
      command: {
        kind: "open",
        caseId: "40002",
        childName: "Sam Adult",
        age: 19,
        dob: null,
        service: "statutory-cp",
        abuse: [],
        openedOn: null,
        worker: JANE,
      },
      surface: "cli",
      audience: "channel",
    });
    const r = await h.call("POST", "/api/v1/cases", { token, body: { by: SAM, ...body } });
    expect(r.status).toBe(422);
    expect(r.body).toMatchObject({ type: "urn:sos-dashboards:problem:adult", detail: chat.text });
    const worker = await h.call("POST", "/api/v1/cases", { token, body: { by: JANE, ...body, age: 7 } });
    expect(worker.status).toBe(403);
    expect(worker.body.code).toBe("role_cannot");
    expect(await h.t.ctx.records.reads.case("40002")).toBeUndefined();
  });
});
