import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, test, vi } from "vitest";

// Counted, not replaced: the real parser does the work.
const parses = vi.hoisted(() => ({ n: 0 }));
vi.mock("yaml", async (importOriginal) => {
  const yaml = await importOriginal<typeof import("yaml")>();
  return {
    ...yaml,
    parseDocument: (...args: Parameters<typeof yaml.parseDocument>) => {
      parses.n++;
      return yaml.parseDocument(...args);
    },
  };
});

const { ConfigError, loadOrg, readConfig } = await import("./load.ts");

const dir = mkdtempSync(join(tmpdir(), "sos-read-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const config = join(dir, "sos.config.yaml");
writeFileSync(
  config,
  `agency: { name: Hillside Family Services, timeZone: Europe/London }
teams: [{ name: North Team }]
staffFile: staff.csv
staff:
  - { email: ada@hillside.example, name: Ada Admin, role: admin }
`,
);
writeFileSync(
  join(dir, "staff.csv"),
  "email,name,role,team,slack_id,teams_id\r\nsue@hillside.example,Sue Park,supervisor,North Team,,\r\n",
);

test("a reload's read of the config parses its YAML once for the staff file it names and the org", () => {
  parses.n = 0;
  const read = readConfig(config);
  expect(read.staffFile).toBe(join(dir, "staff.csv"));
  const org = read.org();
  expect(parses.n).toBe(1);
  expect(org).toEqual(loadOrg(config));
});

test("a missing config names no staff file, and says so as loadOrg does when asked for the org", () => {
  const read = readConfig(join(dir, "gone.yaml"));
  expect(read.staffFile).toBeNull();
  expect(read.bytes).toBeNull();
  expect(() => read.org()).toThrow(ConfigError);
  expect(() => read.org()).toThrow(/file not found/);
});

test("a broken config still names its staff file, so the app keeps watching it", () => {
  const broken = join(dir, "broken.yaml");
  writeFileSync(broken, "staffFile: staff.csv\nteams: nope\n");
  const read = readConfig(broken);
  expect(read.staffFile).toBe(join(dir, "staff.csv"));
  expect(() => read.org()).toThrow(ConfigError);
});
