/**
 * Whole-process cold starts, as a person or a service manager sees them: from spawning `node` to the
 * process having done its job (a command: exited; `sos start`: `/healthz` answered 200). Each figure
 * stands beside a bare `node -e ""` measured in the same run, which is the floor on this machine.
 * Also the Slack ack: the time from a signed slash command's POST to its HTTP answer, which Slack
 * wants within 3 s.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { percentile } from "./stats.ts";

const SOS = join(import.meta.dirname, "../bin/sos.js");

export interface Figure {
  readonly label: string;
  readonly p50: number;
  readonly p99: number;
  readonly n: number;
}

function figure(label: string, times: number[]): Figure {
  const sorted = [...times].sort((a, b) => a - b);
  return { label, p50: percentile(sorted, 50), p99: percentile(sorted, 99), n: sorted.length };
}

/** Milliseconds from spawn to exit of one process; it must exit 0. */
function timedRun(args: string[], env: NodeJS.ProcessEnv, cwd: string): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { env, cwd, stdio: ["ignore", "ignore", "pipe"] });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return ms;
}

/** A stand-in for slack.com: every Web API call answers ok; users.info knows one worker's email. */
async function slackStandIn(email: string): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const body =
        req.url === "/api/users.info"
          ? { ok: true, user: { id: "UBENCH", team_id: "T1", profile: { email } } }
          : req.url === "/api/auth.test"
            ? { ok: true, user_id: "UBOT", bot_id: "BBOT", team_id: "T1" }
            : { ok: true };
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** Starts `sos start`; resolves with the port once its "Server:" line names it. */
function started(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d;
      const m = /Server: +http:\/\/\S+:(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.stderr!.on("data", (d: Buffer) => (err += d));
    child.once("exit", (code) => reject(new Error(`sos start exited ${code} before serving: ${err || out}`)));
  });
}

function stopped(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve();
    else {
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    }
  });
}

/** Spawn → `/healthz` 200, in ms; `use` runs on the healthy server before it is stopped. */
async function timedStart(env: NodeJS.ProcessEnv, cwd: string, use?: (base: string) => Promise<void>) {
  const t0 = performance.now();
  const child = spawn(process.execPath, [SOS, "start"], { env, cwd, stdio: ["ignore", "pipe", "pipe"] });
  try {
    const port = await started(child);
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    const ms = performance.now() - t0;
    if (res.status !== 200) throw new Error(`/healthz answered ${res.status}`);
    await use?.(`http://127.0.0.1:${port}`);
    return ms;
  } finally {
    await stopped(child);
  }
}

const SECRET = "bench-signing-secret";

/** Signed `/sos <text>` posts, one after another; each one's ack time in ms. */
async function acks(base: string, slackUrl: string, n: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const body = new URLSearchParams({
      team_id: "T1",
      channel_id: "D1",
      user_id: "UBENCH",
      command: "/sos",
      text: i % 2 ? "mine" : "whoami",
      api_app_id: "A1",
      response_url: `${slackUrl}/respond/${i}`,
      trigger_id: `trig-${i}`,
    }).toString();
    const ts = Math.floor(Date.now() / 1000);
    const signature = `v0=${createHmac("sha256", SECRET).update(`v0:${ts}:${body}`).digest("hex")}`;
    const t0 = performance.now();
    const res = await fetch(`${base}/slack/events`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-slack-request-timestamp": String(ts),
        "x-slack-signature": signature,
      },
      body,
    });
    await res.arrayBuffer();
    times.push(performance.now() - t0);
    if (res.status !== 200) throw new Error(`slash command answered ${res.status}`);
  }
  return times;
}

export async function coldStarts(opts: {
  /** a scratch folder */
  dir: string;
  /** the synthetic agency's database and config */
  dbPath: string;
  config: string;
  /** the synthetic agency's "today" and one of its workers */
  today: string;
  worker: string;
  runs: number;
  startRuns: number;
}): Promise<Figure[]> {
  const { dir, runs, startRuns } = opts;
  const base = { PATH: process.env.PATH, HOME: process.env.HOME };
  const demoDb = join(dir, "demo.db");
  // Builds dist/ if it is stale, so no measured run pays for a build.
  timedRun([SOS, "demo", "--db", demoDb], base, dir);
  const demo = { ...base, SOS_DB: demoDb };
  const repeat = (n: number, f: () => number) => Array.from({ length: n }, f);

  const figures = [
    figure(
      'bare `node -e ""` (the floor)',
      repeat(runs, () => timedRun(["-e", ""], base, dir)),
    ),
    figure(
      "`sos --help`",
      repeat(runs, () => timedRun([SOS, "--help"], base, dir)),
    ),
    figure(
      "`sos dashboard --worker …` (demo)",
      repeat(runs, () =>
        timedRun(
          [SOS, "dashboard", "--worker", "jane.smith@demo-agency.example", "--today", "2016-03-01"],
          demo,
          dir,
        ),
      ),
    ),
  ];

  const configPath = join(dir, "synthetic.config.yaml");
  writeFileSync(configPath, opts.config);
  const agency = { ...base, PORT: "0", SOS_CONFIG: configPath, SOS_DB: opts.dbPath, SOS_TODAY: opts.today };
  const local: number[] = [];
  for (let i = 0; i < startRuns; i++) local.push(await timedStart(agency, dir));
  figures.push(figure("`sos start` → healthy `/healthz`, 20,000 cases, local mode", local));

  // With Slack the server also posts any digest it finds late, rendering and posting 50 teams' digests
  // beside the commands measured here. The digests are measured on their own (bench/run.ts), so here
  // they are scheduled for 1 January only: nothing is due in the bench's week.
  const quietConfig = join(dir, "synthetic-no-digests-due.config.yaml");
  writeFileSync(
    quietConfig,
    `${opts.config}\ndigest: { team: "0 8 1 1 *", agency: "0 9 1 1 *", nudges: "0 9 1 1 *" }\n`,
  );
  const slack = await slackStandIn(opts.worker);
  try {
    const withSlack = {
      ...agency,
      SOS_CONFIG: quietConfig,
      SLACK_BOT_TOKEN: "xoxb-bench",
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: `${slack.url}/api/`,
    };
    const starts: number[] = [];
    let ackTimes: number[] = [];
    for (let i = 0; i < startRuns; i++) {
      starts.push(
        await timedStart(withSlack, dir, async (server) => {
          if (i === 0) ackTimes = await acks(server, slack.url, 200);
        }),
      );
    }
    figures.push(figure("`sos start` → healthy `/healthz`, 20,000 cases, Slack over HTTP", starts));
    figures.push(figure("Slack slash command ack over loopback (`mine`/`whoami`)", ackTimes));
  } finally {
    await slack.close();
  }
  return figures;
}
