import type { SlackOptions } from "../../adapters/slack/index.ts";
import type { SlackPoster } from "../../adapters/slack/post.ts";
import { type SlackEnv, slackEnv } from "../../adapters/slack/settings.ts";
import { type TeamsEnv, teamsEnv } from "../../adapters/teams/config.ts";
import type { TeamsPoster } from "../../adapters/teams/proactive.ts";
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
 * The platforms the environment asks for, each adapter loaded only when it is served: Bolt and the
 * Teams SDK with what they bring are each 8 MB of the main thread's heap and more of its RSS
 * (README "Performance"), which a server for one platform need not carry. `slackOptions`: options for
 * the Slack surface (`sos start` passes where App Home refreshes keep who is looking at their Home).
 */
export async function surfacesFromEnv(
  ctx: Ctx,
  env: NodeJS.ProcessEnv,
  slackOptions: SlackOptions = {},
): Promise<Surfaces> {
  const platforms = platformEnv(env);
  if (platforms.problem) throw new UsageError(platforms.problem);
  const settings = platforms.slack.settings;
  const slack = settings
    ? (await import("../../adapters/slack/index.ts")).slackSurface(ctx, settings, slackOptions)
    : null;
  // Teams is served with credentials, or anonymously in local mode (teamsSurfaceFor decides where).
  const teams =
    platforms.teams.settings.appId || platforms.local
      ? (await import("../../adapters/teams/index.ts")).teamsSurfaceFor(ctx, platforms.teams, {
          local: platforms.local,
          host: hostFromEnv(env),
          port: env.PORT || "3978",
          production: env.NODE_ENV === "production",
        })
      : { surface: null, warnings: [...platforms.teams.warnings] };
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
