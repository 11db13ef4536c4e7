import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { CallLog } from "../helpers/call-log.ts";

/**
 * A local stand-in for slack.com: the Web API (`/api/<method>`), response_urls (`/respond/<id>`) and
 * file upload URLs (`/upload/<id>`). Records every call; tests wait for the call they expect
 * instead of sleeping. Started with `startSlackRecorder()`, stopped with `close()`, like the Teams
 * recorder (test/teams/recorder.ts).
 */
export interface RecordedCall {
  /** Web API method ("chat.postMessage"), "response_url:<id>" or "upload:<id>" */
  readonly method: string;
  readonly headers: IncomingHttpHeaders;
  readonly contentType: string;
  /** form fields or JSON body; JSON-encoded form fields (blocks, view, files) parsed */
  readonly body: Record<string, unknown>;
  readonly raw: Buffer;
}

type Answer = (c: RecordedCall) => Record<string, unknown>;

/** The Web API sends complex arguments as JSON strings inside form fields. */
const JSON_FIELDS = new Set(["blocks", "attachments", "view", "files", "metadata"]);

export interface SlackUser {
  readonly id: string;
  readonly email?: string;
  readonly deleted?: boolean;
  readonly is_bot?: boolean;
  readonly is_restricted?: boolean;
}

export class Recorder {
  private readonly log = new CallLog<RecordedCall>();
  url = "";
  /** users.info answers, by user id */
  users = new Map<string, SlackUser>();
  private readonly server: Server;
  private readonly gates = new Map<string, Promise<void>>();
  private ts = 1_456_833_600;

  /** per-method HTTP status instead of an answer (a 500 from Slack, say) */
  status: Record<string, number> = {};

  /** per-method answers; anything else answers {ok:true} */
  responses: Record<string, Answer> = {
    "auth.test": () => ({
      ok: true,
      user_id: "UBOT",
      bot_id: "BBOT",
      team_id: "T1",
      team: "Demo",
      user: "sos",
    }),
    "chat.postMessage": (c) => ({ ok: true, channel: c.body.channel, ts: `${this.ts++}.000100` }),
    "chat.postEphemeral": () => ({ ok: true, message_ts: `${this.ts++}.000200` }),
    "views.open": (c) => ({ ok: true, view: { ...(c.body.view as object), id: "VMODAL", hash: "h1" } }),
    "views.update": (c) => ({
      ok: true,
      view: { ...(c.body.view as object), id: c.body.view_id, hash: "h2" },
    }),
    "views.publish": (c) => ({ ok: true, view: { ...(c.body.view as object), id: "VHOME", hash: "h1" } }),
    "conversations.open": (c) => ({ ok: true, channel: { id: `D${String(c.body.users)}` } }),
    "users.info": (c) => {
      const u = this.users.get(String(c.body.user));
      if (!u) return { ok: false, error: "user_not_found" };
      return {
        ok: true,
        user: {
          id: u.id,
          team_id: "T1",
          name: u.id.toLowerCase(),
          deleted: u.deleted ?? false,
          is_bot: u.is_bot ?? false,
          is_restricted: u.is_restricted ?? false,
          profile: { real_name: u.id, ...(u.email ? { email: u.email } : {}) },
        },
      };
    },
    "users.lookupByEmail": (c) => {
      const u = [...this.users.values()].find((x) => x.email === c.body.email);
      return u ? { ok: true, user: { id: u.id } } : { ok: false, error: "users_not_found" };
    },
    "files.getUploadURLExternal": (c) => ({
      ok: true,
      upload_url: `${this.url}/upload/F_${String(c.body.filename)}`,
      file_id: `F_${String(c.body.filename)}`,
    }),
    "files.completeUploadExternal": (c) => ({
      ok: true,
      files: (c.body.files as { id: string; title?: string }[]).map((f) => ({ id: f.id, title: f.title })),
    }),
  };

  constructor() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (d: Buffer) => chunks.push(d));
      req.on("end", () => {
        const raw = Buffer.concat(chunks);
        const path = req.url ?? "/";
        const contentType = String(req.headers["content-type"] ?? "");
        let body: Record<string, unknown> = {};
        if (contentType.startsWith("application/json")) body = JSON.parse(raw.toString() || "{}");
        else if (contentType.startsWith("application/x-www-form-urlencoded")) {
          for (const [k, v] of new URLSearchParams(raw.toString()))
            body[k] = JSON_FIELDS.has(k) && /^[[{]/.test(v) ? JSON.parse(v) : v;
        }
        const method = path.startsWith("/api/")
          ? path.slice(5)
          : path.startsWith("/respond/")
            ? `response_url:${path.slice(9)}`
            : path.startsWith("/upload/")
              ? `upload:${path.slice(8)}`
              : `other:${path}`;
        const call: RecordedCall = { method, headers: req.headers, contentType, body, raw };
        void this.answer(call, res);
      });
    });
  }

  /** Holds every answer to `method` until the returned function is called. */
  hold(method: string): () => void {
    let release: () => void = () => {};
    this.gates.set(
      method,
      new Promise<void>((r) => {
        release = () => {
          this.gates.delete(method);
          r();
        };
      }),
    );
    return () => release();
  }

  /**
   * Holds the answer to one call of `method` (the next, or the one after `skip` more) until the
   * returned function is called; the others are answered at once: a Slack that takes a message and
   * answers too late.
   */
  holdNext(method: string, skip = 0): () => void {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    this.once.set(method, { skip, gate });
    return () => release();
  }

  private readonly once = new Map<string, { skip: number; gate: Promise<void> }>();

  /**
   * Holds the answer to the first call from now on that `matches` until the returned function is
   * called (the call itself is recorded at once, as Slack would have taken it); every other call is
   * answered at once. For a call picked by what it carries rather than by its place in line: runs
   * side by side make the order of calls to one method vary.
   */
  holdWhere(matches: (c: RecordedCall) => boolean): () => void {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    this.picked.push({ matches, gate });
    return () => release();
  }

  private picked: { matches: (c: RecordedCall) => boolean; gate: Promise<void> }[] = [];

  private async answer(call: RecordedCall, res: ServerResponse): Promise<void> {
    const { method } = call;
    this.log.record(call);
    const once = this.once.get(method);
    if (once && once.skip > 0) once.skip--;
    else if (once) {
      this.once.delete(method);
      await once.gate;
    }
    const picked = this.picked.find((p) => p.matches(call));
    if (picked) {
      this.picked = this.picked.filter((p) => p !== picked);
      await picked.gate;
    }
    await this.gates.get(method);
    const status = this.status[method];
    if (status) res.writeHead(status, { "content-type": "text/plain" }).end("error");
    else if (method.startsWith("upload:")) res.writeHead(200, { "content-type": "text/plain" }).end("OK");
    else if (method.startsWith("response_url:"))
      res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    else {
      const answer = this.responses[method] ?? (() => ({ ok: true }));
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer(call)));
    }
  }

  async start(port = 0): Promise<this> {
    await new Promise<void>((r) => this.server.listen(port, "127.0.0.1", r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** for `slackApiUrl` (SLACK_API_URL) */
  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  responseUrl(id: string): string {
    return `${this.url}/respond/${id}`;
  }

  /** every call so far, in order */
  get calls(): readonly RecordedCall[] {
    return this.log.calls;
  }

  /** The first call matching (a method name, or any test), already made or still to come. */
  waitFor(pred: string | ((c: RecordedCall) => boolean), ms = 3000): Promise<RecordedCall> {
    return this.log.waitFor(typeof pred === "string" ? (c) => c.method === pred : pred, ms);
  }

  of(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

/** A recorder listening on a free loopback port (or `port`). */
export function startSlackRecorder(port = 0): Promise<Recorder> {
  return new Recorder().start(port);
}
