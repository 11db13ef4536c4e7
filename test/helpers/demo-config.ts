import { readFileSync, writeFileSync } from "node:fs";
import { DEMO_CONFIG } from "../../src/app/paths.ts";

/** The demo config's text, to edit into the configs an admin might mistakenly (or rightly) write. */
export const DEMO_YAML = readFileSync(DEMO_CONFIG, "utf8");

/** The demo config without these staff members (each entry runs to the next `- email:`). */
export function demoWithout(emails: readonly string[], yaml = DEMO_YAML): string {
  let out = yaml;
  for (const email of emails) {
    const start = out.indexOf(`  - email: ${email}`);
    if (start < 0) throw new Error(`no ${email} in the config`);
    const next = out.indexOf("  - email:", start + 1);
    out = out.slice(0, start) + (next < 0 ? "" : out.slice(next));
  }
  return out;
}

/** The demo config with someone new in North Team. */
export function demoWith(email: string, name: string, yaml = DEMO_YAML): string {
  return `${yaml.trimEnd()}\n  - email: ${email}\n    name: ${name}\n    role: worker\n    team: North Team\n`;
}

/** Another agency altogether: what a forgotten or wrong `SOS_CONFIG` points at. */
export const OTHER_AGENCY_YAML = `agency: { name: Northshire Children's Services, id: northshire, timeZone: Europe/London }
teams: [{ name: North Team }, { name: Duty Team }]
staff:
  - { email: ann.admin@northshire.example, name: Ann Admin, role: admin }
  - { email: will.worker@northshire.example, name: Will Worker, role: worker, team: Duty Team }
`;

export function writeConfig(path: string, yaml: string): string {
  writeFileSync(path, yaml);
  return path;
}
