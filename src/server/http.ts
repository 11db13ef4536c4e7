import type { Server } from "node:http";
import express, { type Express } from "express";
import type { Ctx } from "../app/context.ts";

/**
 * Something that adds routes to the one HTTP server: Slack's /slack/events, Teams' /api/messages.
 * Mounted before the server listens; `stop` runs on shutdown.
 */
export interface Mount {
  readonly name: string;
  /** one line for the start-up banner: what it serves and where */
  readonly describe: string;
  mount(app: Express): void;
  stop?(): Promise<void> | void;
}

export interface RunningServer {
  readonly server: Server;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * The app's one HTTP server. No global body parser on purpose: Slack's signature check needs the raw
 * body, so each mount parses its own requests.
 */
export function createApp(ctx: Ctx, mounts: readonly Mount[]): Express {
  const app = express();
  app.disable("x-powered-by");
  app.get("/healthz", (_req, res) => {
    // A cheap real query, so a locked or missing database shows here rather than on a worker's phone.
    ctx.store.sqlite.prepare("SELECT 1").get();
    res.json({ ok: true, agency: ctx.org.agency.name, surfaces: mounts.map((m) => m.name) });
  });
  for (const m of mounts) m.mount(app);
  return app;
}

export async function listen(
  app: Express,
  port: number,
  mounts: readonly Mount[] = [],
): Promise<RunningServer> {
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(port, (err?: Error) => (err ? reject(err) : resolve(s)));
    s.once("error", reject);
  });
  const address = server.address();
  const actual = typeof address === "object" && address ? address.port : port;
  return {
    server,
    port: actual,
    async close() {
      for (const m of mounts) await m.stop?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
    },
  };
}
