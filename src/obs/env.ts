import { prettyFromEnv, readLevel } from "./logger.ts";

export interface ObsSettings {
  readonly level: string;
  readonly pretty: boolean;
  /** a port of its own for /metrics; absent, /metrics is on the app's HOST and PORT */
  readonly metricsPort?: number;
  readonly metricsHost: string;
}

/** `LOG_LEVEL`, `LOG_FORMAT`, `METRICS_PORT`, `METRICS_HOST`: read, or the first one that is wrong. */
export function obsFromEnv(
  env: NodeJS.ProcessEnv,
  terminal: boolean,
  defaultHost: string,
): { settings: ObsSettings } | { problem: string } {
  const level = readLevel(env.LOG_LEVEL);
  if ("problem" in level) return level;
  const format = env.LOG_FORMAT?.trim().toLowerCase();
  if (format && format !== "json" && format !== "pretty")
    return { problem: `LOG_FORMAT must be json or pretty (got "${env.LOG_FORMAT}")` };
  const given = env.METRICS_PORT?.trim();
  const port = given ? Number(given) : undefined;
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535))
    return { problem: `METRICS_PORT must be a port number (got "${env.METRICS_PORT}")` };
  return {
    settings: {
      level: level.level,
      pretty: prettyFromEnv(env, terminal),
      ...(port !== undefined ? { metricsPort: port } : {}),
      metricsHost: env.METRICS_HOST?.trim() || defaultHost,
    },
  };
}
