import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, test } from "vitest";
import { JANE } from "../helpers/ctx.ts";
import { type RunningSos, sos, startSos } from "../helpers/sos-start.ts";

let dir: string | undefined;
let running: RunningSos | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test("sos api-client add prints a token once, a running sos start takes it at once, and revoke stops it", async () => {
  dir = mkdtempSync(join(tmpdir(), "sos-api-cli-"));
  const db = join(dir, "sos.db");
  const env = { SOS_DB: db, SOS_TODAY: "2016-03-01" };
  running = await startSos(dir, env);
  expect(running.out()).toContain("HTTP API: /api/v1 (bearer tokens from sos api-client add)");
  const base = `http://127.0.0.1:${running.port}/api/v1`;

  const bad = await sos(dir, env, [
    "api-client",
    "add",
    "case-system",
    "--scopes",
    "practice:write,everything",
  ]);
  expect(bad.status).toBe(2);
  expect(bad.stderr).toBe(
    'sos: --scopes: "everything" is not a scope; the scopes are practice:write, cases:write, cases:read, dashboards:read\n',
  );

  const added = await sos(dir, env, [
    "api-client",
    "add",
    "case-system",
    "--scopes",
    "practice:write,dashboards:read",
  ]);
  expect(added.status).toBe(0);
  expect(added.stdout).toContain(
    "Added API client case-system (practice:write, dashboards:read; every team).",
  );
  const token = /\n {2}(sos_[A-Za-z0-9_-]{43})\n/.exec(added.stdout)?.[1];
  expect(token).toBeDefined();

  const post = () =>
    fetch(`${base}/practice`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ caseId: "12345", element: "mapped-with-family", recordedBy: JANE }),
    });
  const first = await post();
  expect(first.status).toBe(201);

  const list = await sos(dir, env, ["api-client", "list"]);
  expect(list.status).toBe(0);
  expect(list.stdout).toMatch(
    /^case-system {2}practice:write,dashboards:read {2}every team {2}added 2016-03-01\n$/,
  );
  expect(list.stdout).not.toContain(token!);

  const revoked = await sos(dir, env, ["api-client", "revoke", "case-system"]);
  expect(revoked.stdout).toBe("Revoked case-system: its token is refused from now on.\n");
  expect((await post()).status).toBe(401);

  const audit = await sos(dir, env, ["audit"]);
  expect(audit.stdout).toContain("(cli)  api-client add");
  expect(audit.stdout).toContain("(api:case-system)  case 12345  recorded Mapping with Family");
  expect(audit.stdout).toContain("(cli)  api-client revoke");

  // Only the hash is kept: the token is in no file of the database.
  await running.stop();
  running = undefined;
  for (const f of [db, `${db}-wal`])
    if (existsSync(f)) expect(readFileSync(f).includes(Buffer.from(token!.slice(4)))).toBe(false);
}, 240_000);
