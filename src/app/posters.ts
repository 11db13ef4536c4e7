import { slackDigestPoster } from "../../adapters/slack/digest.ts";
import type { SlackPoster } from "../../adapters/slack/post.ts";
import { teamsDigestPoster } from "../../adapters/teams/digest.ts";
import type { TeamsPoster } from "../../adapters/teams/proactive.ts";
import type { DigestPoster } from "../digest/post.ts";
import type { Ctx } from "./context.ts";

/**
 * The platforms digests go to: one `DigestPoster` per chat platform being served (Slack, Teams,
 * both or none), in that order. The digest runner posts each digest through every one.
 */
export function digestPosters(
  ctx: Ctx,
  surfaces: { readonly slack?: SlackPoster; readonly teams?: TeamsPoster },
): DigestPoster[] {
  return [
    ...(surfaces.slack ? [slackDigestPoster(ctx, surfaces.slack)] : []),
    ...(surfaces.teams ? [teamsDigestPoster(ctx, surfaces.teams)] : []),
  ];
}
