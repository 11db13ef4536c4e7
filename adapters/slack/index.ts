import type { Ctx } from "../../src/app/context.ts";
import { createSlackSurface, type SlackOptions, type SlackSurface } from "./app.ts";
import type { SlackSettings } from "./settings.ts";

export type { SlackOptions, SlackSurface } from "./app.ts";
export type { SlackPoster } from "./post.ts";
export { type SlackEnv, slackEnv } from "./settings.ts";

/** The Slack surface for settings the environment gave (see `slackEnv`), or none when Slack is off. */
export function slackSurface(
  ctx: Ctx,
  settings: SlackSettings | null,
  opts: SlackOptions = {},
): SlackSurface | null {
  return settings ? createSlackSurface(ctx, settings, opts) : null;
}
