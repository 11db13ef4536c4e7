import {
  type SlackEnv,
  type SlackOptions,
  type SlackPoster,
  slackEnv,
  slackSurface,
} from "../../adapters/slack/index.ts";
import { type TeamsEnv, type TeamsPoster, teamsEnv, teamsSurfaceFor } from "../../adapters/teams/index.ts";
import type { DigestPoster } from "../digest/post.ts";
import { DEFAULT_HOST, type Mount } from "../server/http.ts";
import { UsageError } from "./boot.ts";
import type { Ctx } from "./context.ts";
import { digestPosters } from "./posters.ts";

/**
 * Which chat platforms to serve, chosen by environment variables. With no platform credentials at
 * all, the app runs in local mode: console chat, and Teams answered without tokens (on a loopback
 * address only) so the Agents Playground works.
 */
export interface Surfaces {
  readonly mounts: Mount[];
  /** true when no Slack or Teams credentials are set */
  readonly local: boolean;
  /** set-up that runs but is worth a line at start (Teams not served on a public HOST, say) */
  readonly warnings: string[];
  /** posting to Slack channels and people, for digests and nudges; absent when Slack is off */
  readonly slack?: SlackPoster;
  /** posting to Teams channels and personal chats (digests, nudges), when Teams is served */
  readonly teams?: TeamsPoster;
  /** the digests' view of the platforms served: one poster each */
  readonly posters: DigestPoster[];
}

export interface PlatformEnv {
  readonly slack: SlackEnv;
  readonly teams: TeamsEnv;
  /** no platform credential is set at all */
  readonly local: boolean;
  /** the first set-up that can't run, in one sentence naming the missing variable */
  readonly problem: string | null;
}

/** The platforms' variables, checked before anything is opened: half a set-up is refused. */
export function platformEnv(env: NodeJS.ProcessEnv): PlatformEnv {
  const slack = slackEnv(env);
  const teams = teamsEnv(env);
  return {
    slack,
    teams,
    local: !slack.configured && !teams.configured,
    problem: slack.problem ?? teams.problem,
  };
}

/** Where the server listens: `HOST`, else this machine only. */
export function hostFromEnv(env: NodeJS.ProcessEnv): string {
  return env.HOST?.trim() || DEFAULT_HOST;
}

/**
 * The surfaces the environment sets up. `slack`: options for the Slack surface (`sos start` passes
 * where App Home refreshes keep who is looking at their Home).
 */
export function surfacesFromEnv(ctx: Ctx, env: NodeJS.ProcessEnv, slackOptions: SlackOptions = {}): Surfaces {
  const platforms = platformEnv(env);
  if (platforms.problem) throw new UsageError(platforms.problem);
  const slack = slackSurface(ctx, platforms.slack.settings, slackOptions);
  const teams = teamsSurfaceFor(ctx, platforms.teams, {
    local: platforms.local,
    host: hostFromEnv(env),
    port: env.PORT || "3978",
    production: env.NODE_ENV === "production",
  });
  const mounts = [slack?.mount, teams.surface?.mount].filter((m): m is Mount => m !== undefined);
  return {
    mounts,
    local: platforms.local,
    warnings: [...platforms.slack.warnings, ...teams.warnings],
    // In local mode Teams is only the Agents Playground: nothing to post digests to.
    posters: platforms.local
      ? []
      : digestPosters(ctx, {
          ...(slack ? { slack: slack.poster } : {}),
          ...(teams.surface ? { teams: teams.surface.poster } : {}),
        }),
    ...(slack ? { slack: slack.poster } : {}),
    ...(teams.surface ? { teams: teams.surface.poster } : {}),
  };
}
