import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, onTestFinished, test } from "vitest";
import { fingerprint } from "./helpers/files.ts";
import { PATIENCE_MS, sos } from "./helpers/sos-start.ts";

/**
 * `sos config check` with no app running, as an admin runs it before saving a change: the files'
 * problems, the database's agency and staff guard, and that it writes nothing.
 */

let dir: string;
let env: Record<string, string>;
const config = () => join(dir, "sos.config.yaml");
const staffCsv = () => join(dir, "staff.csv");

const CONFIG = `agency: { name: Hillside, timeZone: Europe/London }
teams: [{ name: North Team }]
staffFile: staff.csv
staff: [{ email: ada@h.example, name: Ada Admin, role: admin }]
`;
const STAFF = `email,name,role,team
sue@h.example,Sue Park,supervisor,North Team
jo@h.example,Jo Bloggs,worker,North Team
al@h.example,Al Vance,worker,North Team
`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "sos-config-check-"));
  env = { SOS_CONFIG: config(), SOS_DB: join(dir, "sos.db") };
  writeFileSync(config(), CONFIG);
  writeFileSync(staffCsv(), STAFF);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("before any database: the files are checked; a bad row is named and exits 1", {
  timeout: PATIENCE_MS,
}, async () => {
  const ok = await sos(dir, env, ["config", "check"]);
  // Whatever fails below, the next test starts from good files.
  onTestFinished(() => writeFileSync(staffCsv(), STAFF));
  expect(ok).toEqual({
    status: 0,
    stdout:
      "sos.config.yaml: can be used as it is (Hillside: 1 team, 4 staff, from the config and staff.csv).\nRunning:   no database at sos.db yet, so no app has run on it.\n",
    stderr: "",
  });
  writeFileSync(
    staffCsv(),
    `${STAFF}kim@h.example,Kim Lee,wroker,North Team\npat@h.example,Pat Ray,worker,Nrth Team\n`,
  );
  const bad = await sos(dir, env, ["config", "check"]);
  expect(bad.status).toBe(1);
  expect(bad.stdout).toBe(
    `sos.config.yaml has 2 problems, so the app would not use it:
  - staff.csv row 5, role: "wroker" is not one of worker, supervisor, manager, admin (did you mean "worker"?)
  - staff.csv row 6, team: no team "Nrth Team" in teams (did you mean "North Team"?)
Running:   no database at sos.db yet, so no app has run on it.
`,
  );
  writeFileSync(staffCsv(), STAFF);
});

test("with a database: the staff guard as a reload would apply it, another agency refused, and nothing written", {
  timeout: PATIENCE_MS * 2,
}, async () => {
  expect((await sos(dir, env, ["migrate"])).status).toBe(0);
  const db = join(dir, "sos.db");
  const before = fingerprint(db);
  const same = await sos(dir, env, ["config", "check"]);
  expect(same.stdout).toBe(
    "sos.config.yaml: can be used as it is (Hillside: 1 team, 4 staff, from the config and staff.csv).\nStaff:     the database already has these teams and staff.\nRunning:   no sos start has run on sos.db since reloads were kept.\n",
  );
  // Two of the four active staff gone.
  writeFileSync(staffCsv(), "email,name,role,team\nsue@h.example,Sue Park,supervisor,North Team\n");
  const guard = await sos(dir, env, ["config", "check"]);
  expect(guard.status).toBe(1);
  expect(guard.stdout).toContain(
    "  - the config sos.config.yaml would mark 2 of the 4 active staff as gone (Jo Bloggs and Al Vance), so nothing was changed: if that is right, run `sos sync --accept-staff-changes`.\n",
  );
  writeFileSync(config(), CONFIG.replace("name: Hillside", "name: Other Place"));
  const other = await sos(dir, env, ["config", "check"]);
  expect(other.status).toBe(1);
  expect(other.stdout).toContain(
    "belongs to Hillside (agency id hillside) but the config sos.config.yaml is for Other Place (agency id other-place)",
  );
  expect(fingerprint(db)).toEqual(before);
  writeFileSync(config(), CONFIG);
  writeFileSync(staffCsv(), STAFF);
  expect(readFileSync(staffCsv(), "utf8")).toBe(STAFF);
});

test("sos config with no subcommand says what it takes", { timeout: PATIENCE_MS }, async () => {
  expect(await sos(dir, env, ["config"])).toEqual({
    status: 2,
    stdout: "",
    stderr: "sos: sos config needs check. See `sos config --help`.\n",
  });
});
