import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { Ctx } from "../../src/app/context.ts";
import { digestPoster } from "../../src/digest/deliver.ts";
import { type DigestPoster, PostError } from "../../src/digest/post.ts";
import type { PostResult, TeamsPoster } from "./proactive.ts";
import { docCards } from "./render/adaptive-card-digest.ts";
import { type AdaptiveCard, text } from "./render/adaptive-card-kit.ts";

/**
 * The digests on Teams: the two small platform parts of the shared posting step
 * (src/digest/deliver.ts), naming a channel and sending one part. A channel gets one new post (the
 * first card: headline, coverage, the whiteboard picture when it fits, what fits of the lists) and
 * the other cards as replies in its thread, so the channel shows one post a week however big the
 * team. A person gets their nudge in their personal chat with the app. `not_installed` is a
 * PostError that retrying will not fix (someone must add the app); `failed` is one worth retrying.
 */

function postError(r: Extract<PostResult, { ok: false }>): PostError {
  return new PostError(r.message, r.reason === "failed", r.mayHaveArrived === true);
}

/** A card, and the line Teams shows in its notification. */
interface Card {
  readonly card: AdaptiveCard;
  readonly summary: string;
}

/**
 * The pause between the cards of one digest. Teams throttles a bot to 7 messages a second and 60
 * in 30 seconds per conversation, and the SDK does not retry a 429; a big team's digest is dozens
 * of cards, so they go out at two a second at most.
 */
export const CARD_PAUSE_MS = 500;

export function teamsDigestPoster(
  ctx: Ctx,
  teams: TeamsPoster,
  opts: { nonce?: () => string; pauseMs?: number } = {},
): DigestPoster {
  const nonce = opts.nonce ?? (() => randomUUID());
  const pauseMs = opts.pauseMs ?? CARD_PAUSE_MS;

  return digestPoster<Card>({
    platform: "teams",
    name: "Teams",
    channelFor(scope) {
      if (scope.kind === "agency") return ctx.org.managers.channels.teams;
      return ctx.org.teams.find((t) => t.id === scope.teamId)?.channels.teams;
    },
    // Someone who has not added the app cannot be reached here: not a failure of the run.
    addressOf: async (actor) => ((await teams.reaches(actor)) ? String(actor.staffId) : null),
    layout(doc, message, to) {
      // A card carries the compact picture (a few KB); the full one is for files.
      const picture = to.kind === "channel" ? (message.compactPicture ?? message.picture) : undefined;
      // The notification line: the first line of the digest's text (its title and week).
      const summary = message.text.split("\n")[0]!.slice(0, 200);
      return docCards(doc, { nonce: nonce(), ...(picture ? { picture } : {}) }).map((card) => ({
        card,
        summary,
      }));
    },
    pictureFile: false,
    thread: { place: "in the replies below", unit: ["card", "cards"] },
    withLine: (c, line, tone) => ({
      ...c,
      card: {
        ...c.card,
        body: [
          ...c.card.body,
          tone === "repeat"
            ? text(`⚠ ${line}`, { color: "Warning", spacing: "Medium" })
            : text(line, { size: "Small", isSubtle: true, spacing: "Medium" }),
        ],
      },
    }),
    async send(to, part, { thread, index }) {
      if (part.kind === "file") throw new PostError("Teams takes the picture inside the first card.", false);
      const { card, summary } = part.message;
      if (index > 0 && pauseMs > 0) await sleep(pauseMs);
      const r =
        to.kind === "person"
          ? await teams.postToUser(to.actor, card, summary)
          : thread === null
            ? await teams.postToChannel(to.channel, card, summary)
            : await teams.postInThread(thread, card, summary);
      if (!r.ok) throw postError(r);
      return r.conversationId;
    },
  });
}
