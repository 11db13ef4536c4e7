import { z } from "zod";
import { REGISTRY } from "../commands/registry.ts";
import { DASHBOARD_SLUGS } from "../domain/dashboards.ts";
import { ELEMENT_KEYS } from "../domain/elements.ts";
import { caseAnswer } from "./cases-write.ts";
import { SCOPES, type Scope } from "./clients.ts";
import { coverageAnswer } from "./coverage.ts";
import { API_LIMITS } from "./limits.ts";
import { practiceAnswer } from "./practice.ts";
import { PROBLEM_CODES, PROBLEM_TYPE } from "./problems.ts";
import { caseRecord, dashboardAnswer, stuckPage } from "./reads.ts";

type Schema = Record<string, unknown>;

/** A zod schema as JSON Schema 2020-12, which OpenAPI 3.1 uses as it is. */
function json(schema: z.ZodType): Schema {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, {
    io: "input",
    unrepresentable: "any",
  }) as Schema;
  return rest;
}

function isNullable(p: unknown): boolean {
  if (typeof p !== "object" || p === null) return false;
  const s = p as { type?: unknown; anyOf?: unknown };
  if (Array.isArray(s.type)) return s.type.includes("null");
  return Array.isArray(s.anyOf) && s.anyOf.some((x) => (x as { type?: unknown }).type === "null");
}

/**
 * A command's own schema (`open`, `close`, `log`, …) as the API's body: the case id taken from the
 * path where it is there, fields a command reads as "none" (nullable) left optional, a field renamed
 * where the API names it plainly, and who it is for. Generated, so the document cannot drift from
 * the rules the requests are checked by.
 */
function commandBody(
  kind: string,
  opts: {
    drop?: string[];
    rename?: Record<string, string>;
    add: Record<string, Schema>;
    /** fields the API fills in when left out (open's abuse types: none) */
    optional?: string[];
  },
): Schema {
  const def = REGISTRY.byKind(kind);
  if (!def) throw new Error(`no command ${kind}`);
  const reshape = (s: Schema): Schema => {
    if (Array.isArray(s.oneOf)) return { oneOf: (s.oneOf as Schema[]).map(reshape) };
    const drop = new Set(opts.drop ?? []);
    const rename = opts.rename ?? {};
    const properties: Record<string, unknown> = {};
    for (const [k, v] of Object.entries((s.properties ?? {}) as Record<string, unknown>))
      if (!drop.has(k)) properties[rename[k] ?? k] = v;
    const required = ((s.required ?? []) as string[])
      .filter(
        (k) =>
          !drop.has(k) &&
          !opts.optional?.includes(k) &&
          !isNullable((s.properties as Record<string, unknown>)[k]),
      )
      .map((k) => rename[k] ?? k);
    return {
      type: "object",
      properties: { ...opts.add, ...properties },
      required: [...Object.keys(opts.add), ...required],
    };
  };
  return reshape(json(def.schema));
}

const EMAIL = (what: string): Schema => ({ type: "string", maxLength: 200, description: what });
const BY = { by: EMAIL("the email of the member of staff doing it: their role rules apply, as in chat") };

const problemSchema: Schema = {
  type: "object",
  description: "RFC 9457 problem details; detail is the sentence chat gives for the same slip",
  properties: {
    type: { type: "string", enum: PROBLEM_CODES.map((c) => `${PROBLEM_TYPE}${c}`) },
    title: { type: "string" },
    status: { type: "integer" },
    detail: { type: "string" },
    code: { type: "string", enum: [...PROBLEM_CODES] },
    errors: {
      type: "array",
      description: "a batch: every bad entry, by its index",
      items: {
        type: "object",
        properties: { index: { type: "integer" }, code: { type: "string" }, detail: { type: "string" } },
        required: ["index", "code", "detail"],
      },
    },
  },
  required: ["type", "title", "status", "detail", "code"],
};

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const jsonContent = (schema: Schema) => ({ "application/json": { schema } });
const problems = {
  default: {
    description: "a problem: nothing was done",
    content: { "application/problem+json": { schema: ref("Problem") } },
  },
};
const query = (name: string, description: string, schema: Schema = { type: "string" }) => ({
  name,
  in: "query",
  required: false,
  description,
  schema,
});
const caseIdParam = { name: "id", in: "path", required: true, schema: { type: "string" } };
const idempotencyKey = {
  name: "Idempotency-Key",
  in: "header",
  required: false,
  description:
    "a retry with the same key (per client, kept 7 days) gets the first answer and writes nothing; another body with it is a 422",
  schema: { type: "string", maxLength: 255 },
};

function op(scope: Scope, summary: string, rest: Schema): Schema {
  return {
    summary,
    description: `Needs the scope ${scope}.`,
    security: [{ bearer: [scope] }],
    ...rest,
    responses: { ...(rest.responses as Schema), ...problems },
  };
}

const write = (scope: Scope, summary: string, body: Schema, status: string, answer: string) =>
  op(scope, summary, {
    parameters: [idempotencyKey],
    requestBody: { required: true, content: jsonContent(body) },
    responses: { [status]: { description: "done", content: jsonContent(ref(answer)) } },
  });

/** The OpenAPI 3.1 document of `/api/v1`, from the commands' schemas and the API's answers. */
export function openApiDocument(): Schema {
  const entry = commandBody("log", {
    drop: ["typed"],
    add: { recordedBy: EMAIL("the email of the member of staff who did it") },
  });
  (entry.properties as Record<string, Schema>).element = {
    type: "string",
    description: `the element: ${ELEMENT_KEYS.join(", ")}, or any word chat takes for it`,
  };
  const scopeOf = (s: string) => `${s}: ${s.endsWith(":write") ? "write" : "read"}`;
  const limitParam = query("limit", `at most ${API_LIMITS.page}`, {
    type: "integer",
    minimum: 1,
    maximum: API_LIMITS.page,
  });
  const scopeParams = [
    query("team", "a team's id or name"),
    query("worker", "a worker's email (instead of team)"),
  ];
  return {
    openapi: "3.1.0",
    info: {
      title: "sos-dashboards API",
      version: "1",
      description: `Practice recorded where the work is recorded, and the dashboards read back. Bearer tokens from sos api-client add; at most ${API_LIMITS.requests} requests a minute per client (429 with Retry-After), bodies up to ${API_LIMITS.bodyBytes / 1024 / 1024} MB, batches up to ${API_LIMITS.batch} entries.`,
    },
    servers: [{ url: "/api/v1" }],
    paths: {
      "/practice": {
        post: write(
          "practice:write",
          "record practice: one entry, or a batch (all or nothing)",
          {
            oneOf: [
              ref("PracticeEntry"),
              {
                type: "object",
                properties: {
                  entries: {
                    type: "array",
                    items: ref("PracticeEntry"),
                    minItems: 1,
                    maxItems: API_LIMITS.batch,
                  },
                },
                required: ["entries"],
              },
            ],
          },
          "201",
          "PracticeRecorded",
        ),
      },
      "/cases": {
        post: write(
          "cases:write",
          "open a case (as /sos open)",
          commandBody("open", { add: BY, optional: ["abuse"] }),
          "201",
          "CaseChanged",
        ),
      },
      "/cases/{id}": {
        parameters: [caseIdParam],
        patch: write(
          "cases:write",
          "correct a case (as /sos edit), move it to another service (/sos move) or transfer it (/sos assign)",
          {
            oneOf: [
              ...((commandBody("edit", { drop: ["caseId"], add: BY }).oneOf as Schema[]) ?? []),
              commandBody("move", { drop: ["caseId"], add: BY }),
              commandBody("assign", { drop: ["caseId"], rename: { person: "worker" }, add: BY }),
            ],
          },
          "200",
          "CaseChanged",
        ),
        get: op(
          "cases:read",
          "a case: its row, entries and history (no notes, names as a channel shows them)",
          {
            responses: { "200": { description: "the case", content: jsonContent(ref("CaseRecord")) } },
          },
        ),
      },
      "/cases/{id}/close": {
        parameters: [caseIdParam],
        post: write(
          "cases:write",
          "close a case (as /sos close)",
          commandBody("close", { drop: ["caseId"], add: BY }),
          "200",
          "CaseChanged",
        ),
      },
      "/dashboards/{slug}": {
        get: op("dashboards:read", "a dashboard, in the JSON of sos dashboard --format json", {
          parameters: [
            {
              name: "slug",
              in: "path",
              required: true,
              schema: { type: "string", enum: [...DASHBOARD_SLUGS] },
            },
            ...scopeParams,
          ],
          responses: { "200": { description: "the dashboard", content: jsonContent(ref("Dashboard")) } },
        }),
      },
      "/stuck": {
        get: op("dashboards:read", "stuck cases and why, a page at a time (by case id)", {
          parameters: [...scopeParams, limitParam, query("cursor", "next, from the page before")],
          responses: { "200": { description: "a page", content: jsonContent(ref("StuckPage")) } },
        }),
      },
      "/coverage": {
        get: op("dashboards:read", "weekly coverage per team and element, and elements against outcomes", {
          parameters: [
            query("from", "YYYY-MM-DD; default: 7 weeks before to", { type: "string", format: "date" }),
            query("to", "YYYY-MM-DD, the last week's end; default: today", {
              type: "string",
              format: "date",
            }),
          ],
          responses: { "200": { description: "coverage", content: jsonContent(ref("Coverage")) } },
        }),
      },
      "/openapi.json": {
        get: {
          summary: "this document (no token needed)",
          security: [],
          responses: { "200": { description: "OpenAPI 3.1", content: jsonContent({ type: "object" }) } },
        },
      },
    },
    components: {
      securitySchemes: {
        bearer: {
          type: "http",
          scheme: "bearer",
          description: `a token from sos api-client add; scopes: ${SCOPES.map(scopeOf).join(", ")}`,
        },
      },
      schemas: {
        PracticeEntry: entry,
        PracticeRecorded: json(practiceAnswer),
        CaseChanged: json(caseAnswer),
        CaseRecord: json(caseRecord),
        Dashboard: json(dashboardAnswer),
        StuckPage: json(stuckPage),
        Coverage: json(coverageAnswer),
        Problem: problemSchema,
      },
    },
  };
}
