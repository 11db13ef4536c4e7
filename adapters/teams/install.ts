import type { TurnContext } from "@microsoft/agents-hosting";
import { placeOf } from "./conversations.ts";
import { noticeCard } from "./render/adaptive-card.ts";
import { audienceOf, type BotDeps, cardMessage, rememberPlace, whoIs } from "./turn.ts";

/**
 * The app added to or removed from a personal chat, a team or a group chat. Teams sends an
 * `installationUpdate`, and a `conversationUpdate` naming the bot among the members added or
 * removed; either one is enough to remember (or forget) the place.
 */

export async function onInstallationUpdate(deps: BotDeps, turn: TurnContext): Promise<void> {
  const action = turn.activity.action ?? "";
  if (action.startsWith("remove")) {
    await forget(deps, turn);
    return;
  }
  if (!action.startsWith("add")) return;
  // Added again after another instance (or `sos digest run`) marked it removed: written whatever
  // this process remembers (installations-cache.ts).
  const who = await whoIs(deps, turn, { installing: true });
  await turn.sendActivity(cardMessage(noticeCard(welcome(deps, turn, who.actor?.name))));
}

export async function onMembersAdded(deps: BotDeps, turn: TurnContext): Promise<void> {
  const bot = turn.activity.recipient?.id;
  if ((turn.activity.membersAdded ?? []).some((m) => m.id === bot))
    await rememberPlace(deps, turn, null, { installing: true });
}

export async function onMembersRemoved(deps: BotDeps, turn: TurnContext): Promise<void> {
  const bot = turn.activity.recipient?.id;
  if ((turn.activity.membersRemoved ?? []).some((m) => m.id === bot)) await forget(deps, turn);
}

async function forget(deps: BotDeps, turn: TurnContext): Promise<void> {
  const place = placeOf(turn.activity);
  if (place) await deps.installs.forget(place.id, deps.ctx.clock.now().toISOString());
}

function welcome(deps: BotDeps, turn: TurnContext, name: string | undefined): string {
  const agency = deps.ctx.org.agency.name;
  const hello = name ? `Hello ${name}.` : "Hello.";
  if (audienceOf(turn.activity) === "private") {
    return [
      `${hello} I keep ${agency}'s Signs of Safety practice dashboards.`,
      "Type `/sos log` to record practice with a form, or type it straight in: `/sos mapped-with-family 12345`.",
      "`/sos mine` shows your cases; `/sos help` lists everything.",
    ].join("\n");
  }
  const names = deps.ctx.org.channelNames;
  return [
    `${hello} I keep ${agency}'s Signs of Safety practice dashboards, and can post the team's weekly digest here.`,
    "Mention me with a command, for example `@sos team` or `@sos stuck`.",
    names === "full"
      ? ""
      : `Here children show ${names === "initials" ? "by their initials" : "by case id only"}.`,
  ]
    .filter((l) => l !== "")
    .join("\n");
}
