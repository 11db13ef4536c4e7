import { Validator } from "@seriousme/openapi-schema-validator";
import { afterEach, expect, test } from "vitest";
import { type ApiHarness, startApi } from "./harness.ts";

let h: ApiHarness;
afterEach(async () => h?.close());

test("/api/v1/openapi.json is a valid OpenAPI 3.1 document, served without a token", async () => {
  h = await startApi();
  const r = await h.call("GET", "/api/v1/openapi.json");
  expect(r.status).toBe(200);
  const validator = new Validator();
  const result = await validator.validate(r.body);
  expect(result.errors).toBeUndefined();
  expect(result.valid).toBe(true);
  expect(validator.version).toBe("3.1");
});

test("every route the API mounts is in the document, and the document names no route it does not serve", async () => {
  h = await startApi();
  const doc = (await h.call("GET", "/api/v1/openapi.json")).body as {
    paths: Record<string, Record<string, unknown>>;
  };
  const served = h.mount
    .routes()
    .map((r) => `${r.method} ${r.path.replace(/:([A-Za-z]+)/g, "{$1}")}`)
    .sort();
  const METHODS = new Set(["get", "post", "patch", "put", "delete"]);
  const documented = Object.entries(doc.paths)
    .flatMap(([path, item]) =>
      Object.keys(item)
        .filter((m) => METHODS.has(m))
        .map((m) => `${m.toUpperCase()} ${path}`),
    )
    .sort();
  expect(served).toEqual(documented);
  expect(served).toContain("POST /practice");
  expect(served).toContain("PATCH /cases/{id}");
});

test("the bodies are the commands' own schemas: open's fields, with what chat reads as none left optional", async () => {
  h = await startApi();
  const doc = (await h.call("GET", "/api/v1/openapi.json")).body as {
    paths: Record<
      string,
      Record<
        string,
        {
          requestBody?: {
            content: Record<string, { schema: { required: string[]; properties: Record<string, unknown> } }>;
          };
        }
      >
    >;
  };
  const open = doc.paths["/cases"]!.post!.requestBody!.content["application/json"]!.schema;
  expect(open.required).toEqual(["by", "caseId", "childName", "service"]);
  expect(Object.keys(open.properties)).toEqual([
    "by",
    "caseId",
    "childName",
    "age",
    "dob",
    "service",
    "abuse",
    "openedOn",
    "worker",
  ]);
  expect(open.properties.service).toEqual({
    type: "string",
    enum: ["statutory-cp", "family-support", "voluntary"],
  });
});
