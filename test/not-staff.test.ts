import { expect, test } from "vitest";
import { DEMO_CONFIG } from "../src/app/paths.ts";
import { notStaffText } from "../src/commands/messages.ts";
import { loadOrg, parseOrg } from "../src/config/load.ts";

test("someone not on the staff list is told politely whom to ask", () => {
  expect(notStaffText(loadOrg(DEMO_CONFIG), "Alex Wilber, alexw@example.com")).toBe(
    "Sorry, I can't find you (Alex Wilber, alexw@example.com) on the staff list of Demo Family Services, so I can't show or record anything for you. Ask Robin Ellis (the admin) to add you with your work email.",
  );
});

test("with no admin in the config, they are sent to their administrator", () => {
  const org = parseOrg(
    "agency: { name: Small, timeZone: Europe/London }\nteams: [{ name: A }]\nstaff: [{ email: a@x.example, name: A, role: worker, team: A }]\n",
    "t.yaml",
  );
  expect(notStaffText(org, "Alex")).toMatch(/Ask your administrator to add you with your work email\.$/);
});
