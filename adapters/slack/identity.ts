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

export function createIdentity(ctx: Ctx, log: SlackLog): Identity {
  const cache = new Map<string, { who: Who; until: number }>();
  const pending = new Map<string, Promise<Who>>();

  /** `keep: false` for an answer that must not be remembered (Slack could not be asked). */
  async function lookUp(userId: string, client: webApi.WebClient): Promise<{ who: Who; keep: boolean }> {
    const who = await match(userId, client);
    return { who: who ?? { refusal: UNREACHABLE }, keep: who !== null };
  }

  async function match(userId: string, client: webApi.WebClient): Promise<Who | null> {
    let user: NonNullable<Awaited<ReturnType<webApi.WebClient["users"]["info"]>>["user"]>;
    try {
      const r = await client.users.info({ user: userId });
      if (!r.user) throw new Error("users.info gave no user");
      user = r.user;
    } catch (e) {
      log(`users.info failed for ${userId} (${reason(e)}); not cached, will ask again`);
      return null;
    }
    if (user.deleted || user.is_bot)
      return { refusal: refusalFor(ctx, "this Slack account can't be matched.") };
    if (user.is_restricted || user.is_ultra_restricted) {
      return {
        refusal: refusalFor(
          ctx,
          "guest accounts are only let in when their Slack id is written in the set-up.",
        ),
      };
    }
    const email = user.profile?.email;
    const actor = email ? ctx.people.byEmail(email) : undefined;
    if (actor) return { actor };
    return {
      refusal: refusalFor(
        ctx,
        email
          ? `your Slack email (${email}) is not on its staff list.`
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
      if (hit && hit.until > now) return hit.who;
      let p = pending.get(userId);
      if (!p) {
        p = lookUp(userId, client).then(({ who, keep }) => {
          pending.delete(userId);
          if (keep) cache.set(userId, { who, until: ctx.clock.now().getTime() + TTL_MS });
          return who;
        });
        pending.set(userId, p);
      }
      if (waitMs === undefined) return p;
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<Who>((resolve) => {
        timer = setTimeout(() => resolve({ refusal: UNREACHABLE }), waitMs);
      });
      return Promise.race([p, late]).finally(() => clearTimeout(timer));
    },
  };
}
