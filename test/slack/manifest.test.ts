import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { webApi } from "@slack/bolt";
import { expect, test } from "vitest";
import { parse } from "yaml";
import { EVENTS_PATH } from "../../adapters/slack/app.ts";

/**
 * The manifest an admin pastes into Slack. Its YAML must equal this literal, which the compiler
 * checks against @slack/web-api's manifest type (scope and event names included); the string limits
 * are those of Slack's manifest schema (slackapi/manifest-schema, 1.0.0).
 */

type Manifest = webApi.AppsManifestValidateArguments["manifest"];

const URL = `https://sos.example.org${EVENTS_PATH}`;

const EXPECTED = {
  _metadata: { major_version: 1, minor_version: 1 },
  display_information: {
    name: "SoS Dashboards",
    description: "Signs of Safety practice dashboards for child-protection teams",
    long_description:
      "Log Signs of Safety practice elements as you complete them, for example /sos mapped-with-family 12345, and see them at once on the practice dashboards: your own cases in the App Home, your team's cases grouped by worker for supervisors, and practice coverage by team for managers. Every entry can be undone, and nothing is ever recorded twice.",
    background_color: "#1d4e89",
  },
  features: {
    app_home: { home_tab_enabled: true, messages_tab_enabled: true, messages_tab_read_only_enabled: true },
    bot_user: { display_name: "sos", always_online: true },
    slash_commands: [
      {
        command: "/sos",
        url: URL,
        description: "Log a practice element, or see a dashboard",
        usage_hint: "mapped-with-family 12345 [date] | mine | team | stuck | case 12345 | undo | help",
        should_escape: true,
      },
    ],
  },
  oauth_config: {
    scopes: { bot: ["commands", "chat:write", "im:write", "users:read", "users:read.email", "files:write"] },
  },
  settings: {
    event_subscriptions: { request_url: URL, bot_events: ["app_home_opened"] },
    interactivity: { is_enabled: true, request_url: URL, message_menu_options_url: URL },
    org_deploy_enabled: false,
    socket_mode_enabled: false,
    token_rotation_enabled: false,
  },
} satisfies Manifest;

const manifest = parse(readFileSync("manifest/slack/manifest.yml", "utf8")) as typeof EXPECTED;

test("the manifest is the typed literal: /sos with its hint, scopes, interactivity, App Home, Socket Mode toggle", () => {
  expect(manifest).toEqual(EXPECTED);
});

test("the manifest keeps to the schema's string limits", () => {
  const d = manifest.display_information;
  expect(d.name.length).toBeGreaterThanOrEqual(1);
  expect(d.name.length).toBeLessThanOrEqual(35);
  expect(d.description.length).toBeLessThanOrEqual(140);
  expect(d.long_description.length).toBeGreaterThanOrEqual(175);
  expect(d.long_description.length).toBeLessThanOrEqual(4000);
  expect(d.background_color).toMatch(/^#([0-9a-fA-F]{3}){1,2}$/);
  expect(manifest.features.bot_user.display_name.length).toBeLessThanOrEqual(80);
  for (const c of manifest.features.slash_commands) {
    expect(c.command).toMatch(/^\/.{1,31}$/);
    expect(c.usage_hint.length).toBeLessThanOrEqual(1000);
    expect(c.url).toMatch(/^https?:\/\//);
  }
});

test("every Web API method the adapter calls is covered by a scope in the manifest", () => {
  const need: Record<string, string | null> = {
    "chat.postMessage": "chat:write",
    "conversations.open": "im:write",
    "users.info": "users:read",
    "users.lookupByEmail": "users:read.email",
    filesUploadV2: "files:write",
    "views.open": null,
    "views.update": null,
    "views.publish": null,
    "auth.test": null,
  };
  const dir = "adapters/slack";
  const used = new Set<string>();
  for (const f of readdirSync(dir, { recursive: true, encoding: "utf8" })) {
    if (!f.endsWith(".ts")) continue;
    const src = readFileSync(join(dir, f), "utf8");
    for (const m of src.matchAll(/client\.(\w+)\.(\w+)\(/g)) used.add(`${m[1]}.${m[2]}`);
    // A method called by name (home.ts sends the App Home view already serialized).
    for (const m of src.matchAll(/client\.apiCall\("(\w+)\.(\w+)"/g)) used.add(`${m[1]}.${m[2]}`);
    if (src.includes("filesUploadV2(")) used.add("filesUploadV2");
  }
  expect([...used].sort()).toEqual(Object.keys(need).sort());
  const scopes = new Set<string>(manifest.oauth_config.scopes.bot);
  for (const method of used) {
    const scope = need[method];
    if (scope) expect(scopes, `${method} needs ${scope}`).toContain(scope);
  }
  expect(scopes).toContain("commands");
});
