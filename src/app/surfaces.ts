import { type SlackPoster, slackFromEnv } from "../../adapters/slack/index.ts";
import { hasTeamsCredentials, type TeamsPoster, teamsFromEnv } from "../../adapters/teams/index.ts";
import type { DigestPoster } from "../digest/post.ts";
import type { Mount } from "../server/http.ts";
import type { Ctx } from "./context.ts";
import { digestPosters } from "./posters.ts";

/**
 * Which chat platforms to serve, chosen by environment variables. With none set, the app runs in
 * local mode: console chat, and Teams answered without tokens so the Agents Playground works.
 */
export interface Surfaces {
  readonly mounts: Mount[];
  /** true when no Slack or Teams credentials are set */
  readonly local: boolean;
  /** set-up problems to print (a platform half-configured, say) */
  readonly warnings: string[];
  /** posting to Slack channels and people, for digests and nudges; absent when Slack is off */
  readonly slack?: SlackPoster;
  /** posting to Teams channels and personal chats (digests, nudges), when Teams is served */
  readonly teams?: TeamsPoster;
  /** the digests' view of the platforms served: one poster each */
  readonly posters: DigestPoster[];
}

export function surfacesFromEnv(ctx: Ctx, env: NodeJS.ProcessEnv): Surfaces {
  const slack = slackFromEnv(ctx, env);
  const local = !slack.surface && !hasTeamsCredentials(env);
  // Teams: token-checked with TEAMS_APP_ID; anonymous only in local mode.
  const teams = teamsFromEnv(ctx, env, local);
  const mounts = [slack.surface?.mount, teams.surface?.mount].filter((m): m is Mount => m !== undefined);
  return {
    mounts,
    local,
    warnings: [...slack.warnings, ...teams.warnings],
    // In local mode Teams is only the Agents Playground: nothing to post digests to.
    posters: local
      ? []
      : digestPosters(ctx, {
          ...(slack.surface ? { slack: slack.surface.poster } : {}),
          ...(teams.surface ? { teams: teams.surface.poster } : {}),
        }),
    ...(slack.surface ? { slack: slack.surface.poster } : {}),
    ...(teams.surface ? { teams: teams.surface.poster } : {}),
  };
}
