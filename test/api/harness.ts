import { newToken, type Scope, tokenHash } from "../../src/api/clients.ts";
import { type ApiMount, apiMount } from "../../src/api/mount.ts";
import { type Clock, manualClock } from "../../src/commands/clock.ts";
import { createApp, listen, type RunningServer } from "../../src/server/http.ts";
import { sqliteApiClients } from "../../src/store/api-clients.ts";
import { AH_HIN, JANE, MORGAN, makeTestCtx, ROBIN, SAM, type TestCtx } from "../helpers/ctx.ts";

/** The demo agency plus a second team, so a client limited to one team can be tried. */
export const TWO_TEAMS = `
agency: { name: Two Teams, timeZone: Europe/London }
teams:
  - { id: north, name: North Team }
  - { id: south, name: South Team }
staff:
  - { email: ${JANE}, name: Jane Smith, role: worker, team: North Team }
  - { email: ${AH_HIN}, name: Ah Hin Xeng, role: worker, team: North Team }
  - { email: ${SAM}, name: Sam Okafor, role: supervisor, team: North Team }
  - { email: stu.south@demo-agency.example, name: Stu South, role: worker, team: South Team }
  - { email: sue.south@demo-agency.example, name: Sue South, role: supervisor, team: South Team }
  - { email: ${MORGAN}, name: Morgan Reyes, role: manager }
  - { email: ${ROBIN}, name: Robin Ellis, role: admin }
`;
export const SUE = "sue.south@demo-agency.example";
export const STU = "stu.south@demo-agency.example";

export interface Answer {
  readonly status: number;
  readonly type: string;
  readonly headers: Headers;
  /** the JSON the server sent (tests match on it, or read a field they name) */
  readonly body: Record<string, unknown>;
}

export interface ApiHarness {
  readonly t: TestCtx;
  readonly base: string;
  readonly logs: string[];
  readonly mount: ApiMount;
  readonly clock: ReturnType<typeof manualClock>;
  /** adds a client as `sos api-client add` does; returns its token */
  client(name: string, scopes: readonly Scope[], teams?: readonly string[]): string;
  call(
    method: string,
    path: string,
    opts?: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> },
  ): Promise<Answer>;
  close(): Promise<void>;
}

/**
 * The real app (createApp + listen on port 0) with the API mounted over a temp SQLite file holding
 * the demo cases, and a clock that moves only when told (the rate limit reads it).
 */
export async function startApi(opts: { today?: string } = {}): Promise<ApiHarness> {
  const clock = manualClock(`${opts.today ?? "2016-03-01"}T12:00:00Z`);
  const t = makeTestCtx({ config: TWO_TEAMS, demo: true, clock: clock as Clock });
  const logs: string[] = [];
  const log = (l: string) => logs.push(l);
  const mount = apiMount(t.ctx, { log });
  const server: RunningServer = await listen(createApp(t.ctx, [mount], { log }), 0, [mount]);
  const base = `http://127.0.0.1:${server.port}`;
  const clients = sqliteApiClients(t.ctx.store.db);
  return {
    t,
    base,
    logs,
    mount,
    clock,
    client(name, scopes, teams = []) {
      const token = newToken();
      clients.add({
        name,
        tokenHash: tokenHash(token),
        scopes: [...scopes],
        teams: [...teams],
        createdAt: clock.now().toISOString(),
      });
      return token;
    },
    async call(method, path, o = {}) {
      const headers: Record<string, string> = { ...o.headers };
      if (o.token) headers.authorization = `Bearer ${o.token}`;
      let body: string | undefined = o.raw;
      if (o.body !== undefined) {
        body = JSON.stringify(o.body);
        headers["content-type"] = "application/json";
      } else if (o.raw !== undefined) headers["content-type"] ??= "application/json";
      const r = await fetch(`${base}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
      const text = await r.text();
      return {
        status: r.status,
        type: r.headers.get("content-type") ?? "",
        headers: r.headers,
        body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
      };
    },
    async close() {
      await server.close();
      t.close();
    },
  };
}

/** How many practice events the record holds (undo events included): nothing written leaves it. */
export function eventCount(t: TestCtx): number {
  return (t.ctx.store.sqlite.prepare("SELECT count(*) AS n FROM practice_events").get() as { n: number }).n;
}
