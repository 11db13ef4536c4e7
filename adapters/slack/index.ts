import type { Ctx } from "../../src/app/context.ts";
import { createSlackSurface, type SlackOptions, type SlackSurface } from "./app.ts";
import { slackEnv } from "./settings.ts";

export type { SlackSurface } from "./app.ts";
export type { SlackPoster } from "./post.ts";

/** The Slack surface the environment asks for, or none (with the reason among the warnings). */
export function slackFromEnv(
  ctx: Ctx,
  env: NodeJS.ProcessEnv,
  opts: SlackOptions = {},
): { surface: SlackSurface | null; configured: boolean; warnings: string[] } {
  const { settings, configured, warnings } = slackEnv(env);
  return { surface: settings ? createSlackSurface(ctx, settings, opts) : null, configured, warnings };
}
