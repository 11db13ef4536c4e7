import type { Ctx } from "../../src/app/context.ts";
import { isLoopbackHost, type Mount, serverOrigin } from "../../src/server/http.ts";
import { createTeamsBot, type TeamsBot } from "./bot.ts";
import type { MicrosoftEndpoints, TeamsEnv, TeamsSettings } from "./config.ts";
import type { Installations } from "./conversations.ts";
import { createPoster, type TeamsPoster } from "./proactive.ts";
import { mountTeams, TEAMS_PATH } from "./route.ts";

export {
  type MicrosoftEndpoints,
  TEAMS_ENV,
  type TeamsEnv,
  type TeamsSettings,
  teamsEnv,
} from "./config.ts";
export type { PostResult, TeamsPoster } from "./proactive.ts";
export { TEAMS_PATH } from "./route.ts";

export interface TeamsSurface {
  readonly mount: Mount;
  readonly poster: TeamsPoster;
  readonly bot: TeamsBot;
}

/** The Teams surface from settings: the route to mount and the posting API for digests. */
export function createTeamsSurface(
  ctx: Ctx,
  settings: TeamsSettings,
  opts: {
    describe?: string;
    log?: (line: string) => void;
    nonce?: () => string;
    microsoft?: MicrosoftEndpoints;
    /** messages served at once before one more is told the server is busy */
    maxInFlight?: number;
    /** where conversation references are kept (default: the SQLite file) */
    installs?: Installations;
  } = {},
): TeamsSurface {
  const bot = createTeamsBot(ctx, settings, opts);
  const describe =
    opts.describe ??
    (settings.appId
      ? `POST ${TEAMS_PATH}: Microsoft Teams (bot ${settings.appId}; requests must carry a Microsoft token)`
      : `POST ${TEAMS_PATH}: Microsoft Teams, anonymous`);
  return {
    bot,
    poster: createPoster(bot),
    // Teams sends to us and nothing is held open: mounted, it is ready.
    mount: { name: "teams", describe, mount: (app) => mountTeams(app, bot), paths: [TEAMS_PATH] },
  };
}

/**
 * Teams as the environment asks: token-checked with credentials. Without any, only in local mode
 * (no platform credentials at all), and only on a loopback address outside production: anonymous,
 * it believes whoever posts, so it is for the Agents Playground on this machine. When it is not
 * served for that reason, a warning says why.
 */
export function teamsSurfaceFor(
  ctx: Ctx,
  teams: TeamsEnv,
  where: { local: boolean; host: string; port: string; production: boolean },
  store: { installs?: Installations } = {},
): { surface: TeamsSurface | null; warnings: string[] } {
  const warnings = [...teams.warnings];
  if (teams.settings.appId) return { surface: createTeamsSurface(ctx, teams.settings, store), warnings };
  if (!where.local) return { surface: null, warnings };
  if (where.production) {
    warnings.push(
      "Teams is not served: NODE_ENV is production and no Teams credentials are set (TEAMS_APP_ID, TEAMS_CLIENT_SECRET).",
    );
    return { surface: null, warnings };
  }
  if (!isLoopbackHost(where.host)) {
    warnings.push(
      `Teams is not served: HOST=${where.host} is not a loopback address, and without Teams credentials anyone who reaches it could act as any staff member. Use HOST=127.0.0.1 for the Agents Playground, or set TEAMS_APP_ID and TEAMS_CLIENT_SECRET.`,
    );
    return { surface: null, warnings };
  }
  const describe = `POST ${TEAMS_PATH}: Microsoft Teams, anonymous (local mode); try: npx agentsplayground -e ${serverOrigin(where.host, where.port)}${TEAMS_PATH} -c msteams`;
  return { surface: createTeamsSurface(ctx, {}, { ...store, describe }), warnings };
}
