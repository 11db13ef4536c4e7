import { hasTeamsCredentials, type TeamsPoster, teamsFromEnv } from "../../adapters/teams/index.ts";
import type { Mount } from "../server/http.ts";
import type { Ctx } from "./context.ts";

/**
 * Which chat platforms to serve, chosen by environment variables. With none set, the app runs in
 * local mode (console chat and the HTTP server only).
 */
export interface Surfaces {
  readonly mounts: Mount[];
  /** true when no Slack or Teams credentials are set */
  readonly local: boolean;
  /** set-up problems to print (a platform half-configured, say) */
  readonly warnings: string[];
  /** posting to Teams channels and personal chats (digests, nudges), when Teams is served */
  readonly teams?: TeamsPoster;
}

export function surfacesFromEnv(ctx: Ctx, env: NodeJS.ProcessEnv): Surfaces {
  const local = !hasTeamsCredentials(env);
  const mounts: Mount[] = [];
  const warnings: string[] = [];
  // Teams: token-checked with TEAMS_APP_ID; anonymous in local mode, so the Agents Playground works.
  const teams = teamsFromEnv(ctx, env, local);
  warnings.push(...teams.warnings);
  if (teams.surface) mounts.push(teams.surface.mount);
  return { mounts, local, warnings, ...(teams.surface ? { teams: teams.surface.poster } : {}) };
}
