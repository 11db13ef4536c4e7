import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { expect, test } from "vitest";
import { HELP, MAIN_HELP } from "../src/cli/help.ts";
import { parseOrg } from "../src/config/load.ts";

const README = readFileSync(resolve(import.meta.dirname, "../README.md"), "utf8");

test("the README's config reference is a config the app accepts", () => {
  const yaml = /## Config reference[\s\S]*?```yaml\n([\s\S]*?)```/.exec(README)?.[1];
  expect(yaml).toBeDefined();
  const org = parseOrg(yaml!, "README.md");
  expect(org.dashboards["statutory-cp"].title).toBe("Child protection");
  expect(org.quietWeeks).toBe("one-line");
});

test("the README gives a fresh machine exactly the two commands, and lists every sos command", () => {
  expect(README).toContain("npm install && npm start");
  expect(README).toContain("npm test");
  for (const c of Object.keys(HELP)) {
    expect(MAIN_HELP).toContain(`  ${c} `);
    expect(README).toContain(`sos ${c}`);
  }
});
