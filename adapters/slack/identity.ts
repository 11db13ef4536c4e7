import type { webApi } from "@slack/bolt";
import type { Ctx } from "../../src/app/context.ts";
import { admins } from "../../src/config/org.ts";
import type { Actor } from "../../src/domain/access.ts";
import { reason, type SlackLog } from "./log.ts";

/**
 * Who a Slack user is in the agency: the staff member with that Slack id in the config, else the one
 * whose email Slack has for them (users.info, cached). Anyone else is refused politely and told who
 * can add them. Guests and bots are never matched by email.
 */
export type Who = { readonly actor: Actor } | { readonly refusal: string };

export interface Identity {
  /**
   * Who this is. `waitMs`: answer within this long (a form's reply must reach Slack within 3 s); a
   * look-up still running then is answered "try again", and finishes and is remembered meanwhile.
   */
  resolve(userId: string, client: webApi.WebClient, waitMs?: number): Promise<Who>;
}

const UNREACHABLE =
  "I couldn't check who you are with Slack just now, so I did nothing. Please try again in a minute.";

/** How long a users.info answer is trusted: a changed Slack email is picked up within the hour. */
const TTL_MS = 60 * 60 * 1000;

export function refusalFor(ctx: Ctx, detail: string): string {
  const who = admins(ctx.org).map((a) => `${a.name} (${a.email})`);
  const ask =
    who.length === 0
      ? "Please ask whoever looks after the bot's set-up to add you."
      : `${who.length === 1 ? who[0] : `${who.slice(0, -1).join(", ")} or ${who[who.length - 1]}`} can add you.`;
  return `Sorry, I don't know you yet. This bot is for ${ctx.org.agency.name} practice staff, and ${detail} ${ask}`;
}

/** What Slack said about a user (users.info): kept, so each person costs one call an hour. */
interface SlackFacts {
  readonly email: string | undefined;
  /** deleted or a bot: never matched */
  readonly unusable: boolean;
  /** a guest: matched only by a Slack id in the set-up */
  readonly guest: boolean;
}

/**
 * Slack's answers are cached, never who they were taken for: the staff are read at each message,
 * so someone added by a config reload is known at once and someone who left is refused at once.
 */
export function createIdentity(ctx: Ctx, log: SlackLog): Identity {
  const cache = new Map<string, { facts: SlackFacts; until: number }>();
  const pending = new Map<string, Promise<SlackFacts | null>>();

  /** null when Slack could not be asked: then nothing is remembered. */
  async function lookUp(userId: string, client: webApi.WebClient): Promise<SlackFacts | null> {
    try {
      const r = await client.users.info({ user: userId });
      if (!r.user) throw new Error("users.info gave no user");
      const user = r.user;
      return {
        email: user.profile?.email,
        unusable: user.deleted === true || user.is_bot === true,
        guest: user.is_restricted === true || user.is_ultra_restricted === true,
      };
    } catch (e) {
      log(`users.info failed for ${userId} (${reason(e)}); not cached, will ask again`);
      return null;
    }
  }

  function whoIs(facts: SlackFacts | null): Who {
    if (facts === null) return { refusal: UNREACHABLE };
    if (facts.unusable) return { refusal: refusalFor(ctx, "this Slack account can't be matched.") };
    if (facts.guest) {
      return {
        refusal: refusalFor(
          ctx,
          "guest accounts are only let in when their Slack id is written in the set-up.",
        ),
      };
    }
    const actor = facts.email ? ctx.people.byEmail(facts.email) : undefined;
    if (actor) return { actor };
    return {
      refusal: refusalFor(
        ctx,
        facts.email
          ? `your Slack email (${facts.email}) is not on its staff list.`
          : "Slack didn't share an email address for you.",
      ),
    };
  }

  return {
    async resolve(userId, client, waitMs) {
      const configured = ctx.people.bySlackId(userId);
      if (configured) return { actor: configured };
      const now = ctx.clock.now().getTime();
      const hit = cache.get(userId);
      if (hit && hit.until > now) return whoIs(hit.facts);
      let p = pending.get(userId);
      if (!p) {
        p = lookUp(userId, client).then((facts) => {
          pending.delete(userId);
          if (facts !== null) cache.set(userId, { facts, until: ctx.clock.now().getTime() + TTL_MS });
          return facts;
        });
        pending.set(userId, p);
      }
      const answer = p.then(whoIs);
      if (waitMs === undefined) return answer;
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<Who>((resolve) => {
        timer = setTimeout(() => resolve({ refusal: UNREACHABLE }), waitMs);
      });
      return Promise.race([answer, late]).finally(() => clearTimeout(timer));
    },
  };
}
