/**
 * The HTTP load section of `npm run bench`: the real server (`sos start`, in a child process that
 * watches its own event loop: bench/watch-loop.mjs; the compiled dist/ as it ships, or the sources under tsx with SOS_BENCH_SERVE=tsx) with signed Slack slash commands, mixed as people use
 * it (55% log, 25% mine, 12% team, 8% stuck), at 1, 8, 32 and 64 in flight for a bounded time each,
 * against a local Web API stand-in; beside a bare express endpoint with the same signature check
 * (bench/bare-server.ts), the HTTP floor of this machine, loaded the same way in the same run. At
 * 64 in flight a manager's App Home open and digest previews go in with the rest. Then a start with
 * every digest of the week due (the catch-up: 50 team digests, the agency summary, the nudges)
 * under 8 in flight. Last, the same server in local mode (no credentials: Teams answered
 * anonymously on loopback) with Bot Framework message activities in the same mix at the same
 * levels: each person writes in their own personal chat with the bot (as in Teams: one per person,
 * the same conversation every time; each person says `sos whoami` there once in the warm-up, so the
 * load meets chats already installed, as a server does after its first day), and the local Bot
 * Connector stand-in knows each reply by the activity id it answers.
 * The catch-up's row says how many posts the Slack stand-in took and how many of them were repeats
 * (a post with the channel, text and blocks of one before it, or one saying it may repeat one): 0
 * is what the digest ledger promises.
 * Under the table, where each server's peak RSS was (bench/watch-loop.mjs): the main thread's V8
 * heap, each reader thread's and the other workers' (the WAL checkpointer), the process's anonymous
 * memory and its mapped files (/proc/PID/smaps_rollup), at the moment of the peak.
 *
 * Knobs (environment): SOS_BENCH_HTTP_SECONDS (per level, default 10); SOS_BENCH_HTTP_STAGES (a
 * comma-separated list of bare, slack, catch-up, teams; all by default) runs only those stages, e.g.
 * `SOS_BENCH_HTTP_STAGES=bare,teams npm run bench -- --http` to iterate on Teams alone;
 * SOS_BENCH_HTTP_LEVELS="1,64" (the in-flight levels, default 1,8,32,64);
 * SOS_BENCH_TEAMS_CHATS=each puts every activity in a new conversation of its own instead (every one
 * a first install, as the bench did until 2026-12-03); SOS_BENCH_PROFILE=<folder> writes the server's
 * main-thread CPU profile (summarize it with bench/cpuprofile-top.mjs); SOS_BENCH_NODE_FLAGS,
 * SOS_BENCH_SNAPSHOT, SOS_BENCH_SERVER_LOG, SOS_BENCH_SERVE below.
 */
import { type ChildProcess, fork, spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import { writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import Database from "better-sqlite3";
import { ensureBuilt } from "../bin/build.js";
import { serverNodeFlags } from "./server-flags.ts";
import { percentile } from "./stats.ts";

const SECRET = "bench-signing-secret";
// The children run in a scratch folder, where "tsx" would not resolve.
const TSX = import.meta.resolve("tsx");
const LEVELS: readonly number[] = process.env.SOS_BENCH_HTTP_LEVELS
  ? process.env.SOS_BENCH_HTTP_LEVELS.split(",").map(Number)
  : [1, 8, 32, 64];
const WATCH = join(import.meta.dirname, "watch-loop.mjs");
/**
 * The server as it ships: `node bin/sos.js start` with `npm start`'s node flags (bench/server-flags.ts),
 * the compiled dist/ (the bench builds it first if it is stale). `SOS_BENCH_SERVE=tsx` runs the sources under tsx instead, as the bench did before:
 * tsx's loader thread and the transformed sources then live in the process too.
 */
export const SERVE =
  process.env.SOS_BENCH_SERVE === "tsx"
    ? { name: "tsx", entry: join(import.meta.dirname, "../src/cli/main.ts"), execArgv: ["--import", TSX] }
    : { name: "dist", entry: join(import.meta.dirname, "../bin/sos.js"), execArgv: serverNodeFlags() };
const BUSY = "too busy";
/** The personal chats' ids: a person's own (`a:bench-<user>`), or one per activity (`SOS_BENCH_TEAMS_CHATS=each`). */
const TEAMS_CONVERSATION = "a:bench-";
const TEAMS_CHAT_EACH = process.env.SOS_BENCH_TEAMS_CHATS === "each";
/** The ids the bench gives activities: a reply to one names it in its path (replyToActivity). */
const TEAMS_ACTIVITY = "m-";
const TEAMS_PATH = "/api/messages";
const SLACK_PATH = "/slack/events";

/** The Teams (Entra) id the Teams run's config gives each person: from the email's local part. */
const aadOf = (email: string) => `aad-${email.split("@")[0]}`;

/** The agency's config with a Teams id for every person, as the Teams run serves it. */
export function withTeamsIds(config: string): string {
  return config.replace(
    /^( {2}- \{ email: ([^,]+), .*) \}$/gm,
    (_line, head: string, email: string) => `${head}, teamsId: ${aadOf(email)} }`,
  );
}

/**
 * The k-th Teams activity of the mix (55% log, 25% mine, 12% team, 8% stuck, as Slack's): a message
 * typed to the bot in a personal chat, shaped as test/teams/harness.ts builds them.
 */
function teamsActivity(p: People, k: number, serviceUrl: string, id: string, today: string) {
  const c = p.cases[(k * 7919) % p.cases.length]!;
  const r = k % 100;
  const [user, text] =
    r < 55
      ? [c.user, `sos mapped-with-family ${c.id} ${dayBefore(today, k % 20)}`]
      : r < 80
        ? [c.user, "sos mine"]
        : r < 92
          ? [`USUP${c.team}`, "sos team"]
          : [c.user, "sos stuck"];
  return teamsMessage(p, user, text, serviceUrl, id);
}

/** A person's first message in their chat with the bot (the warm-up's). */
function teamsHello(p: People, user: string, serviceUrl: string, id: string) {
  return teamsMessage(p, user, "sos whoami", serviceUrl, id);
}

function teamsMessage(p: People, user: string, text: string, serviceUrl: string, id: string) {
  const email = p.emails.get(user)!;
  const body = JSON.stringify({
    type: "message",
    id: `${TEAMS_ACTIVITY}${id}`,
    timestamp: new Date().toISOString(),
    channelId: "msteams",
    serviceUrl,
    from: { id: `29:${user}`, name: email, aadObjectId: aadOf(email) },
    recipient: { id: "28:bot-app-id", name: "sos" },
    conversation: {
      id: `${TEAMS_CONVERSATION}${TEAMS_CHAT_EACH ? id : user}`,
      conversationType: "personal",
      tenantId: "tenant-1",
    },
    channelData: { tenant: { id: "tenant-1" } },
    text,
  });
  return { body, type: "application/json", command: true };
}

interface People {
  /** Slack user id → email, for the stand-in's users.info */
  readonly emails: Map<string, string>;
  /** open cases with their worker's user id and team number */
  readonly cases: { readonly id: string; readonly user: string; readonly team: string }[];
  readonly manager: string;
  /**
   * The people who log whose App Home is open (every `WATCHING`th of them, by user id): the
   * warm-up opens theirs, so their logs still cost a Home refresh (adapters/slack/home-refresh.ts
   * refreshes only the Homes opened recently); everyone else's Home is built when they open it.
   */
  readonly watching: readonly string[];
}

/** One in this many of the people who log has their App Home open during the load. */
export const WATCHING = 5;

function people(dbPath: string): People {
  const db = new Database(dbPath, { readonly: true });
  try {
    const rows = db
      .prepare(
        "SELECT c.id AS id, s.email AS email FROM cases c JOIN staff s ON s.id = c.worker_id WHERE c.status = 'open' ORDER BY c.id",
      )
      .all() as { id: string; email: string }[];
    const emails = new Map<string, string>();
    const userOf = (email: string) =>
      `U${email
        .split("@")[0]!
        .replace(/[^a-z0-9]/gi, "X")
        .toUpperCase()}`;
    const cases = rows.map((r) => {
      const user = userOf(r.email);
      emails.set(user, r.email);
      return { id: r.id, user, team: /^w(\d+)-/.exec(r.email)?.[1] ?? "0" };
    });
    const teams = new Set(cases.map((c) => c.team));
    for (const t of teams) emails.set(`USUP${t}`, `sup${t}@synthetic.example`);
    emails.set("UMANAGER", "manager@synthetic.example");
    const loggers = [...new Set(cases.map((c) => c.user))].sort();
    const watching = loggers.filter((_, i) => i % WATCHING === 0);
    return { emails, cases, manager: "UMANAGER", watching };
  } finally {
    db.close();
  }
}

/** slack.com stood in for: users.info by the ids above, every other call ok; replies timed. */
async function standIn(emails: Map<string, string>) {
  // `stranger`: the reply said the sender is not on the staff list (the Teams run's people unmatched).
  const replies = new Map<string, { at: number; busy: boolean; stranger?: boolean }>();
  let publishes = 0;
  let posts = 0;
  // Each post by what a channel sees (channel, text, blocks; not its thread), to count repeats: a
  // part posted twice, or a copy that says it may repeat one Slack did not confirm.
  const postsSeen = new Set<string>();
  let repeats = 0;
  const waiters: { n: number; count: () => number; resolve: () => void }[] = [];
  const wake = () => {
    for (const w of [...waiters])
      if (w.count() >= w.n) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
  };
  const waitFor = (n: number, count: () => number, ms: number) =>
    new Promise<void>((resolve) => {
      if (count() >= n) return resolve();
      const timer = setTimeout(resolve, ms);
      waiters.push({
        n,
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const url = req.url ?? "";
      let body: object = { ok: true };
      if (url.startsWith("/respond/")) {
        replies.set(url.slice("/respond/".length), { at: performance.now(), busy: raw.includes(BUSY) });
        wake();
      } else if (url.startsWith("/v3/conversations/")) {
        // The Bot Connector stood in for (Teams, local mode): a reply to activity "m-<id>" in a
        // bench conversation, POST /v3/conversations/<conversation>/activities/<activity id>.
        const [, , , conversation = "", , activity = ""] = url.split("/").map(decodeURIComponent);
        if (conversation.startsWith(TEAMS_CONVERSATION) && activity.startsWith(TEAMS_ACTIVITY)) {
          replies.set(activity.slice(TEAMS_ACTIVITY.length), {
            at: performance.now(),
            busy: raw.includes(BUSY),
            stranger: raw.includes("can't find you"),
          });
          wake();
        }
        body = { id: `reply-${replies.size}` };
      } else if (url === "/api/users.info") {
        const user = new URLSearchParams(raw).get("user") ?? JSON.parse(raw || "{}").user;
        body = { ok: true, user: { id: user, team_id: "T1", profile: { email: emails.get(user) } } };
      } else if (url === "/api/auth.test")
        body = { ok: true, user_id: "UBOT", bot_id: "BBOT", team_id: "T1" };
      else if (url === "/api/views.publish") {
        publishes++;
        wake();
      } else if (url === "/api/chat.postMessage") {
        posts++;
        // The Web client posts a form, its blocks a JSON string in it.
        const form = new URLSearchParams(raw);
        const seen = ["channel", "text", "blocks"].map((k) => form.get(k) ?? "").join("\u0000");
        if (postsSeen.has(seen) || seen.includes("may repeat one sent")) repeats++;
        postsSeen.add(seen);
        body = { ok: true, ts: `${Date.now() / 1000}`, channel: "C1" };
      }
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    replies,
    published: () => publishes,
    posted: () => posts,
    /** posts that repeat one already made (the same channel, text and blocks), or say they may */
    repeated: () => repeats,
    /** resolves when `n` replies have come in, or after `ms` (a reply lost is counted, not waited on) */
    replied: (n: number, ms: number) => waitFor(n, () => replies.size, ms),
    /** resolves when `n` App Homes have been published in all, or after `ms` */
    publishedAtLeast: (n: number, ms: number) => waitFor(n, () => publishes, ms),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

type StandIn = Awaited<ReturnType<typeof standIn>>;

/** An Events API callback saying `user` opened their App Home. */
function homeOpened(user: string, id: string): string {
  return JSON.stringify({
    token: "unused",
    team_id: "T1",
    api_app_id: "A1",
    type: "event_callback",
    event_id: `Ev${id}`,
    event_time: Math.floor(Date.now() / 1000),
    event: { type: "app_home_opened", user, channel: "DM", tab: "home", event_ts: "1.5" },
  });
}

function signed(body: string): Record<string, string> {
  const ts = Math.floor(Date.now() / 1000);
  return {
    "x-slack-request-timestamp": String(ts),
    "x-slack-signature": `v0=${createHmac("sha256", SECRET).update(`v0:${ts}:${body}`).digest("hex")}`,
  };
}

/** The k-th request of the mix: its body and content type. `specials`: Home opens and digest previews. */
function request(p: People, k: number, slack: string, id: string, specials: boolean, today: string) {
  const c = p.cases[(k * 7919) % p.cases.length]!;
  if (specials && k % 100 === 50)
    return { body: homeOpened(p.manager, id), type: "application/json", command: false };
  const r = k % 100;
  const [user, text] =
    specials && r === 75
      ? [p.manager, "digest agency preview"]
      : specials && r === 25
        ? [`USUP${c.team}`, "digest preview"]
        : r < 55
          ? [c.user, `mapped-with-family ${c.id} ${dayBefore(today, k % 20)}`]
          : r < 80
            ? [c.user, "mine"]
            : r < 92
              ? [`USUP${c.team}`, "team"]
              : [c.user, "stuck"];
  const body = new URLSearchParams({
    token: "unused",
    team_id: "T1",
    channel_id: "D1",
    user_id: user,
    command: "/sos",
    text,
    api_app_id: "A1",
    response_url: `${slack}/respond/${id}`,
    trigger_id: `trig-${id}`,
  }).toString();
  return { body, type: "application/x-www-form-urlencoded", command: true };
}

function dayBefore(iso: string, days: number): string {
  const d = new Date(`${iso}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}

interface Level {
  readonly inFlight: number;
  readonly requests: number;
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly over3s: number;
  readonly failed: number;
  /** replies (response_url) after the POST was sent, for the commands */
  readonly replyP50?: number;
  readonly replyP99?: number;
  readonly busy?: number;
  readonly lost?: number;
  /** replies that did not know the sender: the run measured a refusal, not the command */
  readonly strangers?: number;
  readonly maxBlockMs?: number;
  readonly peakRssMb?: number;
  /** the main thread's own V8 heap at its peak: RSS less this is the readers' heaps, SQLite and code */
  readonly peakMainHeapMb?: number;
  /** the server process's CPU time (every thread, user + system) over the level */
  readonly cpuMs?: number;
  /** where the RSS was at its peak (bench/watch-loop.mjs) */
  readonly breakdown?: Breakdown;
}

interface Breakdown {
  readonly rssMb: number;
  readonly mainHeapMb: number;
  readonly mainNewMb: number;
  readonly readerHeapsMb: readonly number[];
  readonly peakReaderHeapsMb: readonly number[];
  readonly otherHeapsMb: readonly number[];
  readonly externalMb: number;
  readonly anonymousMb: number;
  readonly filesMb: number;
}

let run = 0;

/** `inFlight` requests at a time for `seconds`; each one's ack time. */
async function load(
  base: string,
  inFlight: number,
  seconds: number,
  make: (k: number, id: string) => { body: string; type: string; command: boolean },
  path = SLACK_PATH,
  more: () => boolean = () => true,
) {
  const acks: number[] = [];
  const sent = new Map<string, number>();
  let failed = 0;
  let k = 0;
  const tag = ++run;
  const until = performance.now() + seconds * 1000;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (performance.now() < until && more()) {
        const n = k++;
        const id = `r${tag}-${n}`;
        const { body, type, command } = make(n, id);
        const start = performance.now();
        if (command) sent.set(id, start);
        try {
          const res = await fetch(`${base}${path}`, {
            method: "POST",
            // Teams in local mode is anonymous (loopback only): Slack's requests are signed.
            headers: { "content-type": type, ...(path === SLACK_PATH ? signed(body) : {}) },
            body,
          });
          await res.arrayBuffer();
          if (res.status !== 200) failed++;
        } catch {
          failed++;
        }
        acks.push(performance.now() - start);
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  return { acks, sent, failed, elapsed };
}

function summary(inFlight: number, r: Awaited<ReturnType<typeof load>>): Level {
  const sorted = [...r.acks].sort((a, b) => a - b);
  return {
    inFlight,
    requests: sorted.length,
    perSecond: sorted.length / r.elapsed,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? 0,
    over3s: sorted.filter((t) => t > 3000).length,
    failed: r.failed,
  };
}

/** The server's output so far, for a run that stops or stalls to say why. */
const output = new WeakMap<ChildProcess, { out: string; err: string }>();

function firstLine(child: ChildProcess, re: RegExp): Promise<number> {
  return new Promise((resolve, reject) => {
    const seen = { out: "", err: "" };
    output.set(child, seen);
    child.stdout!.on("data", (d: Buffer) => {
      seen.out += d;
      const m = re.exec(seen.out);
      if (m) resolve(Number(m[1]));
    });
    child.stderr!.on("data", (d: Buffer) => {
      seen.err += d;
    });
    child.once("exit", (code) => reject(new Error(`exited ${code} before serving: ${seen.err || seen.out}`)));
    // A loaded machine can take a while to start it; a server that never says where it listens
    // fails the run with what it wrote, rather than leaving the run waiting without end.
    setTimeout(
      () => reject(new Error(`no "Server:" line in 180 s: ${seen.out}\n${seen.err}`)),
      180_000,
    ).unref();
  });
}

/** Servers that did not stop within 60 s of SIGTERM (killed then): the bench says so under its table. */
const unstopped: string[] = [];

/** How long the last server stopped took, SIGTERM to exit (ms): the catch-up's is shown under the table. */
let lastStopMs = 0;

const stopped = (child: ChildProcess, what = "server") =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    const t0 = performance.now();
    // A stop that hangs must not hang the bench: it is killed, with its children, and reported.
    const timer = setTimeout(() => {
      unstopped.push(what);
      try {
        process.kill(-(child.pid ?? 0), "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    }, 60_000);
    child.once("exit", () => {
      clearTimeout(timer);
      lastStopMs = performance.now() - t0;
      resolve();
    });
    child.kill("SIGTERM");
  });

let snapshots = 0;
let logs = 0;

function ask<T>(child: ChildProcess, m: string | { snapshot: string }, ms = 60_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      const seen = output.get(child);
      reject(
        new Error(
          `the server did not answer ${JSON.stringify(m)} in ${ms / 1000} s: ${seen?.out ?? ""}\n${seen?.err ?? ""}`,
        ),
      );
    }, ms);
    child.once("message", (r) => {
      clearTimeout(timer);
      resolve(r as T);
    });
    child.send(m);
  });
}

async function serverLevels(
  env: NodeJS.ProcessEnv,
  cwd: string,
  slack: StandIn,
  p: People,
  seconds: number,
  today: string,
  levels: readonly number[],
  specialsAt: number,
  traffic: "slack" | "teams" = "slack",
): Promise<Level[]> {
  const make = (k: number, id: string, specials: boolean) =>
    traffic === "teams"
      ? teamsActivity(p, k, slack.url, id, today)
      : request(p, k, slack.url, id, specials, today);
  const path = traffic === "teams" ? TEAMS_PATH : SLACK_PATH;
  const child = fork(SERVE.entry, ["start"], {
    cwd,
    env,
    // Its own process group, so a server that does not stop is killed with its picture renderer.
    detached: true,
    execArgv: [
      ...SERVE.execArgv,
      // The watcher first, so it sees the whole start (bench/watch-loop.mjs).
      "--import",
      WATCH,
      // SOS_BENCH_PROFILE=<folder>: the server's main-thread CPU profile, written when it stops.
      ...(process.env.SOS_BENCH_PROFILE
        ? ["--cpu-prof", "--cpu-prof-dir", process.env.SOS_BENCH_PROFILE]
        : []),
      // SOS_BENCH_NODE_FLAGS="--trace-gc …": more flags for the server's node (a V8 flag measured).
      ...(process.env.SOS_BENCH_NODE_FLAGS?.split(" ").filter((x) => x !== "") ?? []),
    ],
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  try {
    const port = await firstLine(child, /Server: +http:\/\/[^\s:]+:(\d+)/);
    const base = `http://127.0.0.1:${port}`;
    // Warmed first, as a server is in use: its first requests compile code and meet each person
    // (users.info), and start's own work after "Server:" (the reload watch) is done.
    if (traffic === "slack") {
      // Every fifth person who logs has their Home open (`WATCHING`): opened here, each published
      // once, before anything is measured.
      const from = slack.published();
      let i = 0;
      await load(
        base,
        8,
        3_600,
        () => ({
          body: homeOpened(p.watching[i]!, `open-${run}-${i++}`),
          type: "application/json",
          command: false,
        }),
        path,
        () => i < p.watching.length,
      );
      await slack.publishedAtLeast(from + p.watching.length, 60_000);
    }
    if (traffic === "teams" && !TEAMS_CHAT_EACH) {
      // Everyone who writes during the load has written to the bot before, as after a first day in
      // production: their personal chat is installed (and remembered) before anything is measured.
      const from = slack.replies.size;
      const writers = [...new Set(p.cases.flatMap((c) => [c.user, `USUP${c.team}`]))];
      let i = 0;
      const hello = await load(
        base,
        8,
        3_600,
        (_k, id) => teamsHello(p, writers[i++]!, slack.url, id),
        path,
        () => i < writers.length,
      );
      await slack.replied(from + hello.sent.size, 60_000);
    }
    const warmFrom = slack.replies.size;
    const warm = await load(base, 8, 3, (k, id) => make(k + 7, id, false), path);
    await slack.replied(warmFrom + warm.sent.size, 30_000);
    const out: Level[] = [];
    for (const inFlight of levels) {
      await ask(child, "reset");
      const before = slack.replies.size;
      const r = await load(base, inFlight, seconds, (k, id) => make(k, id, inFlight >= specialsAt), path);
      // Replies still being built when the last ack went out are waited for (30 s at most).
      await slack.replied(before + r.sent.size, 30_000);
      const stats = await ask<{
        maxBlockMs: number;
        peakRssMb: number;
        peakMainHeapMb: number;
        cpuMs: number;
        breakdown: Breakdown;
      }>(child, "stats");
      // SOS_BENCH_SNAPSHOT=<folder>: the main thread's heap after each level, for what holds it.
      if (process.env.SOS_BENCH_SNAPSHOT)
        await ask(
          child,
          {
            snapshot: join(
              process.env.SOS_BENCH_SNAPSHOT,
              `${++snapshots}-${traffic}-${inFlight}.heapsnapshot`,
            ),
          },
          300_000,
        );
      const times: number[] = [];
      let busy = 0;
      let strangers = 0;
      for (const [id, t0] of r.sent) {
        const got = slack.replies.get(id);
        if (!got) continue;
        times.push(got.at - t0);
        if (got.busy) busy++;
        if (got.stranger) strangers++;
      }
      times.sort((a, b) => a - b);
      out.push({
        ...summary(inFlight, r),
        replyP50: percentile(times, 50),
        replyP99: percentile(times, 99),
        busy,
        strangers,
        lost: r.sent.size - times.length,
        ...stats,
      });
    }
    return out;
  } finally {
    await stopped(child, `the ${traffic} server (${levels.join(", ")} in flight)`);
    // SOS_BENCH_SERVER_LOG=<folder>: what the server wrote (with SOS_BENCH_NODE_FLAGS=--trace-gc, its
    // collections), one file per server started.
    if (process.env.SOS_BENCH_SERVER_LOG) {
      const seen = output.get(child);
      writeFileSync(
        join(process.env.SOS_BENCH_SERVER_LOG, `${++logs}-${traffic}-${levels.join("-")}.log`),
        `${seen?.out ?? ""}\n--- stderr\n${seen?.err ?? ""}`,
      );
    }
  }
}

async function bareLevels(cwd: string, seconds: number, levels: readonly number[]): Promise<Level[]> {
  const child = spawn(process.execPath, ["--import", TSX, join(import.meta.dirname, "bare-server.ts")], {
    cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, SLACK_SIGNING_SECRET: SECRET },
    stdio: ["ignore", "pipe", "pipe"],
  });
  try {
    const port = await firstLine(child, /port (\d+)/);
    const body = new URLSearchParams({ command: "/sos", text: "mine", user_id: "U1" }).toString();
    const out: Level[] = [];
    for (const inFlight of levels) {
      const r = await load(`http://127.0.0.1:${port}`, inFlight, seconds, () => ({
        body,
        type: "application/x-www-form-urlencoded",
        command: false,
      }));
      out.push(summary(inFlight, r));
    }
    return out;
  } finally {
    await stopped(child);
  }
}

const f = (x: number | undefined, d = 0) => (x === undefined ? "" : x.toFixed(d));
/** The server's CPU per request served: steadier than requests/s on a machine others load too. */
const cpuPerRequest = (l: Level) =>
  l.cpuMs === undefined || l.requests === 0 ? "" : f(l.cpuMs / l.requests, 2);

const STAGES = ["bare", "slack", "catch-up", "teams"] as const;
type Stage = (typeof STAGES)[number];

/** `SOS_BENCH_HTTP_STAGES`: the stages to run (all when unset). */
function stagesFromEnv(): ReadonlySet<Stage> {
  const given = process.env.SOS_BENCH_HTTP_STAGES?.split(",")
    .map((x) => x.trim())
    .filter((x) => x !== "");
  if (!given?.length) return new Set(STAGES);
  const unknown = given.filter((x) => !(STAGES as readonly string[]).includes(x));
  if (unknown.length)
    throw new Error(`SOS_BENCH_HTTP_STAGES takes ${STAGES.join(", ")} (got "${unknown.join(", ")}")`);
  return new Set(given as Stage[]);
}

export async function httpLoad(opts: {
  dir: string;
  dbPath: string;
  config: string;
  today: string;
  loadAverage: () => string;
}): Promise<string[]> {
  const seconds = Number(process.env.SOS_BENCH_HTTP_SECONDS ?? 10);
  const stages = stagesFromEnv();
  // Built before anything is timed: a stale dist/ would otherwise be compiled by the first start.
  if (SERVE.name === "dist" && !ensureBuilt().ok) throw new Error("dist/ could not be built");
  const p = people(opts.dbPath);
  const slack = await standIn(p.emails);
  const lines: string[] = [];
  try {
    const quiet = join(opts.dir, "http-no-digests-due.config.yaml");
    // Nothing due in the bench's week for the levels: the digests are loaded on their own below.
    writeFileSync(
      quiet,
      `${opts.config}\ndigest: { team: "0 8 1 1 *", agency: "0 9 1 1 *", nudges: "0 9 1 1 *" }\n`,
    );
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: "0",
      SOS_CONFIG: quiet,
      SOS_DB: opts.dbPath,
      SOS_TODAY: opts.today,
      SLACK_BOT_TOKEN: "xoxb-bench",
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: `${slack.url}/api/`,
      ...(process.env.SOS_READERS !== undefined ? { SOS_READERS: process.env.SOS_READERS } : {}),
    };
    const bareAt = opts.loadAverage();
    const bare = stages.has("bare") ? await bareLevels(opts.dir, seconds, LEVELS) : [];
    const serverAt = opts.loadAverage();
    const server = stages.has("slack")
      ? await serverLevels(env, opts.dir, slack, p, seconds, opts.today, LEVELS, 64)
      : [];
    // A start with the week's digests all due: the catch-up runs beside 8 in flight.
    const catchUpAt = opts.loadAverage();
    const postedBefore = slack.posted();
    const repeatedBefore = slack.repeated();
    const due = join(opts.dir, "http-digests-due.config.yaml");
    // The default schedules: this week's team digests, agency summary and nudges are all due.
    writeFileSync(due, opts.config);
    const catchUp = stages.has("catch-up")
      ? await serverLevels(
          { ...env, SOS_CONFIG: due },
          opts.dir,
          slack,
          p,
          seconds,
          opts.today,
          [8],
          Number.POSITIVE_INFINITY,
        )
      : [];
    const posted = slack.posted() - postedBefore;
    const repeated = slack.repeated() - repeatedBefore;
    const catchUpStopMs = lastStopMs;
    // Teams activities in local mode (no credentials: anonymous, loopback only), at the same levels,
    // the replies taken by the Bot Connector stand-in. Last, because its config gives everyone a
    // Teams id, which the start writes to the database's staff.
    const teamsAt = opts.loadAverage();
    const teamsConfig = join(opts.dir, "http-teams.config.yaml");
    writeFileSync(
      teamsConfig,
      `${withTeamsIds(opts.config)}\ndigest: { team: "0 8 1 1 *", agency: "0 9 1 1 *", nudges: "0 9 1 1 *" }\n`,
    );
    const { SLACK_BOT_TOKEN: _t, SLACK_SIGNING_SECRET: _s, SLACK_API_URL: _u, ...local } = env;
    const teams = stages.has("teams")
      ? await serverLevels(
          { ...local, SOS_CONFIG: teamsConfig, HOST: "127.0.0.1" },
          opts.dir,
          slack,
          p,
          seconds,
          opts.today,
          LEVELS,
          Number.POSITIVE_INFINITY,
          "teams",
        )
      : [];

    const head = [
      "in flight",
      "endpoint",
      "req/s",
      "ack p50 ms",
      "ack p99 ms",
      "ack max ms",
      "acks > 3 s",
      "reply p50/p99 ms",
      "busy",
      "longest block ms",
      "peak RSS MB (main heap)",
      "server CPU ms/req",
    ];
    const rows: string[][] = [];
    /** where each server's peak RSS was: one row per server level */
    const memory: string[][] = [];
    const where = (l: Level, what: string) => {
      const b = l.breakdown;
      if (!b) return;
      const list = (xs: readonly number[]) => (xs.length ? xs.map((x) => f(x)).join(" + ") : "–");
      memory.push([
        what,
        f(b.rssMb),
        `${f(b.mainHeapMb)} (${f(b.mainNewMb)})`,
        `${list(b.readerHeapsMb)} (peak ${list(b.peakReaderHeapsMb)})`,
        list(b.otherHeapsMb),
        f(b.externalMb),
        f(b.anonymousMb),
        f(b.filesMb),
      ]);
    };
    for (const s of server) where(s, `Slack, ${s.inFlight}`);
    for (const c of catchUp) where(c, "Slack, 8 + catch-up");
    for (const t of teams) where(t, `Teams, ${t.inFlight}`);
    const table = (h: string[], rs: string[][]) => {
      const ws = h.map((x, i) => Math.max(x.length, ...rs.map((r) => r[i]!.length)));
      const l = (r: string[]) => `| ${r.map((x, i) => x.padEnd(ws[i]!)).join(" | ")} |`;
      return [l(h), l(ws.map((n) => "-".repeat(n))), ...rs.map(l)];
    };
    // The share of bare at the same level, when the bare stage ran.
    const ofBare = (l: Level) => {
      const b = bare.find((x) => x.inFlight === l.inFlight);
      return b ? ` (${f((l.perSecond / b.perSecond) * 100)}% of bare)` : "";
    };
    for (const b of bare)
      rows.push([
        String(b.inFlight),
        "bare express + signature check",
        f(b.perSecond),
        f(b.p50, 1),
        f(b.p99, 1),
        f(b.max),
        String(b.over3s),
        "",
        "",
        "",
        "",
        "",
      ]);
    /** one server level's row: every column, its reply times with what was lost (and `extra`) */
    const row = (l: Level, endpoint: string, extra = "") => [
      String(l.inFlight),
      endpoint,
      f(l.perSecond),
      f(l.p50, 1),
      f(l.p99, 1),
      f(l.max),
      String(l.over3s),
      `${f(l.replyP50)}/${f(l.replyP99)}${l.lost ? ` (${l.lost} lost)` : ""}${extra}`,
      String(l.busy ?? 0),
      f(l.maxBlockMs),
      `${f(l.peakRssMb)} (${f(l.peakMainHeapMb)})`,
      cpuPerRequest(l),
    ];
    for (const s of server)
      rows.push(
        row(s, `sos start, mixed${s.inFlight >= 64 ? " + Home opens, digest previews" : ""}${ofBare(s)}`),
      );
    // Bare and server rows side by side, level by level, as the table always read.
    rows.sort((a, b) => Number(a[0]) - Number(b[0]));
    const levelRows = rows.length;
    for (const t of teams)
      rows.push(
        row(
          t,
          `sos start, Teams activities, local mode${ofBare(t)}`,
          t.strangers ? ` (${t.strangers} not known)` : "",
        ),
      );
    const c = catchUp[0];
    if (c)
      rows.splice(
        levelRows,
        0,
        row(
          c,
          `sos start with every digest due: catch-up (${posted} posts, repeats: ${repeated}) beside mixed load`,
        ),
      );
    lines.push(
      `HTTP load: signed Slack slash commands, then Teams message activities (each 55% log, 25% mine, 12% team, 8% stuck; Teams ${TEAMS_CHAT_EACH ? "each in a new conversation" : "each in the person's own personal chat"}), ${seconds} s per level, the server run from ${SERVE.name === "dist" ? `dist/ (\`node ${SERVE.execArgv.join(" ")} bin/sos.js start\`)` : "the sources under tsx"}; on Slack one in ${WATCHING} of the people who log has their App Home open (opened in the warm-up), so their logs refresh it; load average ${bareAt} (bare), ${serverAt} (server), ${catchUpAt} (catch-up), ${teamsAt} (Teams)`,
      "",
      ...table(head, rows),
      ...(catchUp.length
        ? [
            `\nThe catch-up's server stopped ${(catchUpStopMs / 1000).toFixed(1)} s after SIGTERM (a digest part being posted is let get its answer, at most 12 s).`,
          ]
        : []),
      "",
      "Where the peak RSS was, at the moment of each level's peak (MB): V8 heaps as committed (total_heap_size); anonymous memory holds them, malloc (SQLite's page caches) and the threads' stacks; mapped files are node's own code and the native modules.",
      "",
      ...table(
        [
          "level",
          "RSS",
          "main heap (young)",
          "reader heaps (peak)",
          "other workers' heaps",
          "main external",
          "anonymous",
          "mapped files",
        ],
        memory,
      ),
      ...unstopped.map((u) => `\n${u} did not stop within 60 s of SIGTERM: killed.`),
    );
  } finally {
    await slack.close();
  }
  return lines;
}
