import type { Ctx } from "../../src/app/context.ts";
import type { Mount } from "../../src/server/http.ts";
import { createTeamsBot, type TeamsBot } from "./bot.ts";
import { type TeamsSettings, teamsSettingsFromEnv } from "./config.ts";
import { createPoster, type TeamsPoster } from "./proactive.ts";
import { mountTeams, TEAMS_PATH } from "./route.ts";

export { hasTeamsCredentials, TEAMS_ENV, type TeamsSettings } from "./config.ts";
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
  opts: { describe?: string; log?: (line: string) => void; nonce?: () => string } = {},
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
    mount: { name: "teams", describe, mount: (app) => mountTeams(app, bot) },
  };
}

/**
 * Teams from the environment: with `TEAMS_APP_ID` set, tokens are checked; without it, the route is
 * served anonymously only in local mode (no platform credentials at all) and never in production.
 */
export function teamsFromEnv(
  ctx: Ctx,
  env: NodeJS.ProcessEnv,
  local: boolean,
): { surface: TeamsSurface | null; warnings: string[] } {
  const { settings, warnings } = teamsSettingsFromEnv(env);
  if (!settings.appId && (!local || env.NODE_ENV === "production")) return { surface: null, warnings };
  const port = env.PORT || "3978";
  const describe = settings.appId
    ? undefined
    : `POST ${TEAMS_PATH}: Microsoft Teams, anonymous (local mode); try: npx agentsplayground -e http://localhost:${port}${TEAMS_PATH} -c msteams`;
  return { surface: createTeamsSurface(ctx, settings, describe ? { describe } : {}), warnings };
}
