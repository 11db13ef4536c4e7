import { type SlackPoster, slackFromEnv } from "../../adapters/slack/index.ts";
import type { Mount } from "../server/http.ts";
import type { Ctx } from "./context.ts";

/**
 * Which chat platforms to serve, chosen by environment variables. With none set, the app runs in
 * local mode (console chat and the HTTP server only).
 */
export interface Surfaces {
  readonly mounts: Mount[];
  /** true when no chat platform is served (no credentials, or only part of them: see warnings) */
  readonly local: boolean;
  /** set-up problems to print (a platform half-configured, say) */
  readonly warnings: string[];
  /** posting to Slack channels and people, for digests and nudges; absent when Slack is off */
  readonly slack?: SlackPoster;
}

export function surfacesFromEnv(ctx: Ctx, env: NodeJS.ProcessEnv): Surfaces {
  const slack = slackFromEnv(ctx, env);
  const mounts = slack.surface ? [slack.surface.mount] : [];
  return {
    mounts,
    local: mounts.length === 0,
    warnings: [...slack.warnings],
    ...(slack.surface ? { slack: slack.surface.poster } : {}),
  };
}
