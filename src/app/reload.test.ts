import { renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { startConsoleChat } from "../../adapters/console/chat.ts";
import { JANE, makeTestCtx, type TestCtx } from "../../test/helpers/ctx.ts";
import { DEMO_YAML, demoWith, demoWithout, OTHER_AGENCY_YAML } from "../../test/helpers/demo-config.ts";
import { runCommand } from "../commands/run.ts";
import { loadOrg, parseOrg } from "../config/load.ts";
import { createRunner } from "../digest/runner.ts";
import { createScheduler } from "../digest/scheduler.ts";
import { readReloadState, recordStart } from "../store/config-reload.ts";
import { readOrgRows } from "../store/org-sync.ts";
import { type Ctx, type LiveConfig, liveContext, settle } from "./context.ts";
import { createReloader, type Reloader } from "./reload.ts";
import { watchFiles } from "./watch.ts";

/**
 * The running app's reload, in this process: a live context over a real SQLite file, the config a
 * real file beside it. What reaches the people, the commands, the digests' schedules and the
 * console, and what a refused reload leaves alone.
 */

let t: TestCtx;
let configPath: string;
let live: Ctx;
let config: LiveConfig;
let reloader: Reloader;
let logs: string[];
let applied: number;

beforeEach(() => {
  t = makeTestCtx();
  configPath = join(t.dir, "sos.config.yaml");
  writeFileSync(configPath, DEMO_YAML);
  ({ ctx: live, config } = liveContext(t.ctx));
  recordStart(t.ctx.store, {
    pid: 4242,
    at: "2016-03-01T09:00:00.000Z",
    configPath,
    timeZone: "Europe/London",
  });
  logs = [];
  applied = 0;
  reloader = createReloader({
    configPath,
    ctx: live,
    config,
    log: (l) => logs.push(l),
    pid: 4242,
    now: () => new Date("2016-03-01T10:00:00.000Z"),
    applied: () => {
      applied++;
    },
  });
});
afterEach(() => t.close());

/** Saves the config as an editor does: a new file renamed over the old. */
function save(yaml: string): void {
  writeFileSync(`${configPath}.new`, yaml);
  renameSync(`${configPath}.new`, configPath);
}

describe("a valid change applies whole", () => {
  test("a person added is known at once to the people, whoami and the database; the outcome is recorded", async () => {
    save(demoWith("nia.obi@demo-agency.example", "Nia Obi"));
    expect(reloader.reload("file")).toEqual({
      kind: "applied",
      changes: ["1 person added"],
      line: `config: reloaded ${configPath} (a file changed): 1 person added`,
    });
    expect(logs).toEqual([`config: reloaded ${configPath} (a file changed): 1 person added`]);
    expect(applied).toBe(1);
    const nia = live.people.byEmail("nia.obi@demo-agency.example");
    expect(nia).toMatchObject({ name: "Nia Obi", role: "worker", teams: ["north"] });
    const reply = await runCommand(live, {
      actor: nia!,
      text: "whoami",
      surface: "cli",
      audience: "private",
    });
    expect(reply.text).toMatch(
      /^You are Nia Obi \(nia\.obi@demo-agency\.example\), a worker in North Team\./,
    );
    expect(
      readOrgRows(t.ctx.store).staff.find((s) => s.email === "nia.obi@demo-agency.example"),
    ).toMatchObject({
      active: true,
      id: nia!.staffId,
    });
    expect(readReloadState(t.ctx.store)).toMatchObject({
      pid: 4242,
      at: "2016-03-01T10:00:00.000Z",
      trigger: "file",
      applied: true,
      summary: "1 person added",
      problems: [],
    });
  });

  test("a file event whose bytes are unchanged does nothing; SIGHUP always reloads", () => {
    expect(reloader.reload("file")).toEqual({ kind: "same" });
    expect(logs).toEqual([]);
    expect(reloader.reload("signal")).toMatchObject({ kind: "applied", changes: [] });
    expect(logs).toEqual([`config: reloaded ${configPath} (SIGHUP): nothing changed`]);
  });
});

describe("a refused reload changes nothing and says why in one line", () => {
  test.each([
    [
      "a broken config",
      DEMO_YAML.replace("role: supervisor", "role: superviser"),
      "staff[3].role: must be one of worker, supervisor, manager, admin",
    ],
    [
      "another agency's config",
      OTHER_AGENCY_YAML,
      "agency.id: the config is now for Northshire Children's Services (agency id northshire), but the running app and its database belong to Demo Family Services (agency id demo-family-services); a database keeps one agency",
    ],
    [
      "another time zone",
      DEMO_YAML.replace("Europe/London", "Australia/Sydney"),
      'agency.timeZone: Australia/Sydney instead of Europe/London; the digests\' weeks and "today" follow the time zone the app started with, so restart sos start to change it',
    ],
    [
      "a third of the staff gone",
      demoWithout(["ah.hin.xeng@demo-agency.example", "alison.camp@demo-agency.example"]),
      "the config CONFIG would mark 2 of the 6 active staff as gone (Ah Hin Xeng and Alison Camp), so nothing was changed: if that is right, run `sos sync --accept-staff-changes`, then reload the app (kill -HUP 4242); or restart it with `sos start --accept-staff-changes`",
    ],
  ])("%s", (_what, yaml, written) => {
    const problem = written.replace("CONFIG", configPath);
    const org = live.org;
    const rows = readOrgRows(t.ctx.store);
    save(yaml);
    expect(reloader.reload("file")).toMatchObject({ kind: "refused", problems: [problem] });
    expect(logs).toEqual([
      `config: not reloaded (a file changed), the running config stays as it was: ${problem} (sos config check shows it)`,
    ]);
    expect(live.org).toBe(org);
    expect(readOrgRows(t.ctx.store)).toEqual(rows);
    expect(applied).toBe(0);
    expect(readReloadState(t.ctx.store)).toMatchObject({
      applied: false,
      trigger: "file",
      problems: [problem],
    });
  });

  test("a database another process is writing: refused, and the same file tried again once it is free", () => {
    const other = new Database(t.dbPath);
    t.ctx.store.sqlite.pragma("busy_timeout = 0");
    other.exec("BEGIN IMMEDIATE");
    save(demoWith("nia.obi@demo-agency.example", "Nia Obi"));
    try {
      expect(reloader.reload("file")).toMatchObject({
        kind: "refused",
        problems: [
          "the database was busy (another sos command was writing), so nothing was changed; send SIGHUP or save the file again to try again",
        ],
      });
      expect(live.people.byEmail("nia.obi@demo-agency.example")).toBeUndefined();
    } finally {
      other.exec("ROLLBACK");
      other.close();
    }
    expect(reloader.reload("file")).toMatchObject({ kind: "applied", changes: ["1 person added"] });
    expect(live.people.byEmail("nia.obi@demo-agency.example")?.name).toBe("Nia Obi");
  });

  test("the log line names three problems and says how many more", () => {
    save(
      DEMO_YAML.replaceAll("role: worker", "role: wroker").replace(
        "name: Demo Family Services",
        "name: Demo Family Services\n  colour: red",
      ),
    );
    const r = reloader.reload("signal");
    expect(r.kind).toBe("refused");
    if (r.kind !== "refused") return;
    expect(r.problems).toHaveLength(4);
    expect(r.line).toMatch(/; and 1 more \(sos config check shows them all\)$/);
    expect(r.line.split("\n")).toHaveLength(1);
  });
});

test("a command running while the config is swapped sees the config it started with, whole", async () => {
  const renamed = parseOrg(
    `${DEMO_YAML}\ndashboards:\n  statutory-cp: { title: Child protection (renamed) }\n`,
    configPath,
  );
  // The swap lands while `/sos case` waits on its first read: between reading and replying.
  const reads = t.ctx.records.reads;
  const { ctx, config: holder } = liveContext({
    ...t.ctx,
    records: {
      ...t.ctx.records,
      reads: {
        ...reads,
        case: async (id) => {
          holder.swap(settle(renamed, t.ctx.store));
          return reads.case(id);
        },
      },
    },
  });
  const jane = ctx.people.byEmail(JANE)!;
  const during = await runCommand(ctx, {
    actor: jane,
    text: "case 12345",
    surface: "cli",
    audience: "private",
  });
  expect(during.text).toContain("Front end statutory child protection");
  expect(during.text).not.toContain("(renamed)");
  expect(ctx.org).toBe(renamed);
  const after = await runCommand(ctx, {
    actor: jane,
    text: "case 12345",
    surface: "cli",
    audience: "private",
  });
  expect(after.text).toContain("Child protection (renamed)");
});

test("the digests follow: a team added gets its schedules, one removed loses them", async () => {
  const scheduler = createScheduler(live, createRunner({ ctx: live, posters: [] }), { timers: false });
  const withSouth = DEMO_YAML.replace(
    "teams:\n",
    'teams:\n  - { id: south, name: South Team, digest: { team: "0 7 * * 2" } }\n',
  );
  const r = createReloader({
    configPath,
    ctx: live,
    config,
    log: (l) => logs.push(l),
    applied: () => {
      scheduler.reschedule();
    },
  });
  save(withSouth);
  expect(r.reload("file")).toMatchObject({
    kind: "applied",
    changes: ["South Team added", "digest schedules changed"],
  });
  const scopes = () => scheduler.upcoming().map((u) => `${u.spec.kind}:${u.spec.scope}`);
  expect(scopes()).toEqual(["team:south", "nudge:south", "team:north", "nudge:north", "agency:agency"]);
  // Tuesday 07:00 in London, the team's own schedule.
  expect(scheduler.upcoming().find((u) => u.spec.scope === "south" && u.spec.kind === "team")?.next).toEqual(
    new Date("2016-03-08T07:00:00.000Z"),
  );
  save(DEMO_YAML);
  expect(r.reload("file")).toMatchObject({
    kind: "applied",
    changes: ["South Team left", "digest schedules changed"],
  });
  expect(scopes()).toEqual(["team:north", "nudge:north", "agency:agency"]);
  expect(scheduler.reschedule()).toBe(false);
  await scheduler.stop();
});

test("the console knows a person added, as :as shows", async () => {
  const input = new PassThrough();
  const output = new PassThrough();
  let shown = "";
  const waiters: { text: string; resolve: () => void }[] = [];
  output.on("data", (d: Buffer) => {
    shown += d.toString();
    for (const w of [...waiters])
      if (shown.includes(w.text)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
  });
  const appears = (text: string) =>
    new Promise<void>((resolve) => (shown.includes(text) ? resolve() : waiters.push({ text, resolve })));
  const chat = startConsoleChat(live, live.people.byEmail(JANE)!, { input, output });
  input.write(":as nia.obi@demo-agency.example\n");
  await appears('No one with the email "nia.obi@demo-agency.example".');
  save(demoWith("nia.obi@demo-agency.example", "Nia Obi"));
  reloader.reload("file");
  input.write(":as nia.obi@demo-agency.example\n");
  await appears("You are now Nia Obi (worker).");
  input.end();
  await chat;
});

test("the watcher sees a file saved by rename, and a staff file the config names", async () => {
  const staff = join(t.dir, "staff.csv");
  writeFileSync(staff, "email,name,role\n");
  const seen: string[] = [];
  let wake: () => void = () => {};
  const watch = watchFiles(
    () => [configPath, staff],
    () => {
      seen.push("changed");
      wake();
    },
    { settleMs: 20 },
  );
  try {
    const changed = () => new Promise<void>((resolve) => (wake = resolve));
    let next = changed();
    save(`${DEMO_YAML}# saved\n`);
    await next;
    next = changed();
    writeFileSync(`${staff}.tmp`, "email,name,role\na@b.example,A,admin\n");
    renameSync(`${staff}.tmp`, staff);
    await next;
    expect(seen.length).toBeGreaterThanOrEqual(2);
  } finally {
    watch.close();
  }
  // The config file the watcher reads is the one loadOrg reads.
  expect(loadOrg(configPath).agency.name).toBe("Demo Family Services");
});
