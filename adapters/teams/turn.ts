import type { Activity } from "@microsoft/agents-activity";
import { CardFactory, MessageFactory, type TurnContext } from "@microsoft/agents-hosting";
import type { Ctx } from "../../src/app/context.ts";
import type { Audience } from "../../src/commands/invocation.ts";
import { type Installations, kindOf, placeOf, type RememberHow } from "./conversations.ts";
import { type EmailCache, type Identity, identify } from "./identity.ts";
import type { AdaptiveCard } from "./render/adaptive-card-kit.ts";

/** What every Teams handler needs, made once when the bot is created. */
export interface BotDeps {
  readonly ctx: Ctx;
  readonly installs: Installations;
  readonly emails: EmailCache;
  /** whether people may be looked up at the activity's connector: only when a token vouched for it */
  readonly lookups: boolean;
  /** a fresh nonce for each card sent, so its buttons carry their own delivery ids */
  readonly nonce: () => string;
  /** one line about what went wrong: never a child's name, a note or a message's text */
  readonly log: (line: string) => void;
}

/** A personal chat is private; a channel or group chat follows the config's `channelNames`. */
export function audienceOf(activity: Activity): Audience {
  return kindOf(activity) === "personal" ? "private" : "channel";
}

/**
 * Who wrote, as staff; and the place they wrote from is remembered for later posts (`installing`:
 * the activity is the app being added there).
 */
export async function whoIs(deps: BotDeps, turn: TurnContext, how?: RememberHow): Promise<Identity> {
  const who = await identify(
    deps.ctx.people,
    turn,
    turn.activity.from,
    deps.emails,
    (status) => deps.log(`teams: member lookup failed${status ? ` (HTTP ${status})` : ""}`),
    deps.lookups,
  );
  await rememberPlace(deps, turn, who.actor?.staffId ?? null, how);
  return who;
}

export async function rememberPlace(
  deps: BotDeps,
  turn: TurnContext,
  staffId: number | null,
  how?: RememberHow,
): Promise<void> {
  const place = placeOf(turn.activity);
  if (place) {
    await deps.installs.remember(
      place,
      place.kind === "personal" ? staffId : null,
      deps.ctx.clock.now().toISOString(),
      how,
    );
  }
}

/** A message holding one card; `summary` is what a notification shows. */
export function cardMessage(card: AdaptiveCard, summary?: string): Activity {
  const message = MessageFactory.attachment(CardFactory.adaptiveCard(card));
  const line = summary ?? card.fallbackText.split("\n")[0];
  if (line) message.summary = line.slice(0, 200);
  return message;
}

/** Puts a card in place of the message `replyToId` names (the card whose button was pressed). */
export async function replaceCard(deps: BotDeps, turn: TurnContext, card: AdaptiveCard): Promise<boolean> {
  const replyTo = turn.activity.replyToId;
  if (!replyTo) return false;
  const update = cardMessage(card);
  update.id = replyTo;
  try {
    await turn.updateActivity(update);
    return true;
  } catch (e) {
    deps.log(`teams: card update failed: ${errorName(e)}`);
    return false;
  }
}

export function errorName(e: unknown): string {
  const status = (e as { status?: unknown }).status;
  const name = e instanceof Error ? e.name : typeof e;
  return typeof status === "number" ? `${name} (HTTP ${status})` : name;
}
