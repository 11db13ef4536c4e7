import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { Ctx } from "../../src/app/context.ts";
import { type DigestMessage, type DigestPoster, PostError } from "../../src/digest/post.ts";
import type { DigestView } from "../../src/digest/views.ts";
import { restNote } from "../../src/digest/words.ts";
import type { Actor } from "../../src/domain/access.ts";
import type { PostResult, TeamsPoster } from "./proactive.ts";
import { noticeCard } from "./render/adaptive-card.ts";
import { digestCards } from "./render/adaptive-card-digest.ts";
import { type AdaptiveCard, text } from "./render/adaptive-card-kit.ts";

/**
 * The digests on Teams. A channel gets one new post (the first card: headline, coverage, the
 * whiteboard picture when it fits, what fits of the lists) and the other cards as replies in its
 * thread, so the channel shows one post a week however big the team. A person gets their nudge
 * in their personal chat with the app. `not_installed` is a PostError that retrying will not fix
 * (someone must add the app); `failed` is one worth retrying.
 */

function postError(r: Extract<PostResult, { ok: false }>): PostError {
  return new PostError(r.message, r.reason === "failed");
}

/** The notification line: the first line of the digest's text (its title and week). */
function summaryOf(message: DigestMessage): string {
  return message.text.split("\n")[0]!.slice(0, 200);
}

/** The first card, saying what follows in its thread. */
function withThreadNote(first: AdaptiveCard, view: DigestView, more: number): AdaptiveCard {
  const note = restNote(view, {
    more,
    picture: false,
    place: "in the replies below",
    unit: ["card", "cards"],
  });
  if (note === null) return first;
  return {
    ...first,
    body: [...first.body, text(note, { size: "Small", isSubtle: true, spacing: "Medium" })],
  };
}

function incomplete(done: number, total: number, why: string): AdaptiveCard {
  return noticeCard(
    `This digest is incomplete: posting stopped after part ${done} of ${total}. ${why} If the digest is sent again, the complete one is a new post.`,
    "problem",
  );
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

  /** Sends the rest after the first went out; on a failure, says so where the rest was going. */
  async function rest(
    cards: readonly AdaptiveCard[],
    send: (c: AdaptiveCard) => Promise<PostResult>,
    first: string,
  ): Promise<void> {
    let done = 1;
    for (const c of cards.slice(1)) {
      if (pauseMs > 0) await sleep(pauseMs);
      const r = await send(c);
      if (!r.ok) {
        await send(incomplete(done, cards.length, r.message)).catch(() => undefined);
        throw new PostError(
          `${r.message} Only ${done} of ${cards.length} cards arrived (in ${first}); the last one says the digest is incomplete.`,
          r.reason === "failed",
        );
      }
      done++;
    }
  }

  return {
    platform: "teams",
    channelFor(scope) {
      if (scope.kind === "agency") return ctx.org.managers.channels.teams;
      return ctx.org.teams.find((t) => t.id === scope.teamId)?.channels.teams;
    },

    async toChannel(channelId, message) {
      const cards = digestCards(message.view, {
        nonce: nonce(),
        // A card carries the compact picture (a few KB); the full one is for files.
        ...((message.compactPicture ?? message.picture)
          ? { picture: (message.compactPicture ?? message.picture)! }
          : {}),
      });
      const summary = summaryOf(message);
      const first = await teams.postToChannel(
        channelId,
        withThreadNote(cards[0]!, message.view, cards.length - 1),
        summary,
      );
      if (!first.ok) throw postError(first);
      await rest(cards, (c) => teams.postInThread(first.conversationId, c, summary), first.conversationId);
      return first.conversationId;
    },

    async toPerson(actor: Actor, message) {
      const cards = digestCards(message.view, { nonce: nonce() });
      const summary = summaryOf(message);
      const first = await teams.postToUser(actor, cards[0]!, summary);
      // Someone who has not added the app cannot be reached here: not a failure of the run.
      if (!first.ok && first.reason === "not_installed") return null;
      if (!first.ok) throw postError(first);
      await rest(cards, (c) => teams.postToUser(actor, c, summary), first.conversationId);
      return first.conversationId;
    },
  };
}
