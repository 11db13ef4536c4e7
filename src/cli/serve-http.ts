import type { Metrics } from "../obs/metrics.ts";
import { metricsApp } from "../obs/metrics-app.ts";
import {
  type createApp,
  isLoopbackHost,
  listen,
  type Mount,
  type RunningServer,
  serverOrigin,
} from "../server/http.ts";

export interface Served {
  readonly running: RunningServer;
  readonly metricsServer: RunningServer | undefined;
}

/**
 * Both `sos start`s (SQLite and PostgreSQL): the app listened on, `/metrics` on a port of its own
 * when asked (warning when it would be served with the chat routes beyond this machine), and the
 * banner lines that name where each surface is served. PORT=0 takes any free port: the lines say
 * the one taken.
 */
export async function serveAndSay(
  app: ReturnType<typeof createApp>,
  mounts: readonly Mount[],
  where: {
    readonly host: string;
    readonly port: number;
    readonly metrics: Metrics;
    readonly metricsPort: number | undefined;
    readonly metricsHost: string;
  },
  say: (line: string) => void,
): Promise<Served> {
  const { host, port, metricsPort, metricsHost } = where;
  const running = await listen(app, port, mounts, host);
  say(
    `Server:    ${serverOrigin(host, running.port)}  (GET /healthz, /readyz${metricsPort === undefined ? ", /metrics" : ""})`,
  );
  let metricsServer: RunningServer | undefined;
  if (metricsPort !== undefined) {
    metricsServer = await listen(metricsApp(where.metrics), metricsPort, [], metricsHost);
    say(`Metrics:   ${serverOrigin(metricsHost, metricsServer.port)}/metrics`);
  } else if (!isLoopbackHost(host)) {
    // No child data in them, but how busy each team is, and the install, is nobody else's business.
    say(
      `Warning:   /metrics is served on ${host} with the chat routes; set METRICS_PORT to serve it on this machine only (or refuse /metrics at your proxy).`,
    );
  }
  for (const m of mounts)
    say(
      `           ${m.describe.replaceAll(`${serverOrigin(host, port)}/`, `${serverOrigin(host, running.port)}/`)}`,
    );
  return { running, metricsServer };
}
