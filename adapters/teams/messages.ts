import type { TurnContext } from "@microsoft/agents-hosting";
import { makeInvocation } from "../../src/commands/invocation.ts";
import { casesToLog, logFormFor } from "../../src/commands/log-form.ts";
import { notStaffText } from "../../src/commands/messages.ts";
import { parseFor, runCommand } from "../../src/commands/run.ts";
import { exportActivity } from "./files.ts";
import { byTeamsAccount } from "./identity.ts";
import { noticeCard, replyCard } from "./render/adaptive-card.ts";
import { digestPreviewCard } from "./render/adaptive-card-digest.ts";
import { logFormCard, pickCaseCard } from "./render/adaptive-card-form.ts";
import { audienceOf, type BotDeps, cardMessage, whoIs } from "./turn.ts";

/**
 * A message typed to the bot: `sos mapped-with-family 12345`, or the same after an @mention in a
 * channel (the SDK has already taken the bot's mention out of the text). The reply is a card.
 */
export async function onTextMessage(deps: BotDeps, turn: TurnContext): Promise<void> {
  const a = turn.activity;
  const who = await whoIs(deps, turn);
  if (!who.actor) {
    const text = notStaffText(deps.ctx.org, who.account);
    await turn.sendActivity(cardMessage(noticeCard(text, "problem")));
    return;
  }
  const env = makeInvocation(deps.ctx, who.actor, "teams", audienceOf(a));
  const text = plainText(withPeople(deps, turn, a.text ?? ""));

  const form = formRequest(text);
  if (form !== null) {
    const nonce = deps.nonce();
    const found = form === "" ? null : await logFormFor(env, form);
    const card =
      found && "form" in found
        ? logFormCard(found.form, { nonce })
        : pickCaseCard(await casesToLog(env), {
            nonce,
            ...(found ? { problem: { field: "case" as const, text: found.reply.text } } : {}),
          });
    await turn.sendActivity(cardMessage(card));
    return;
  }

  // Teams sends a message again, with the same id, when the first delivery was not answered in time.
  const key = a.id && a.conversation?.id ? `teams:${a.conversation.id}:${a.id}` : undefined;
  const reply = await runCommand(deps.ctx, {
    actor: who.actor,
    text,
    surface: "teams",
    audience: env.audience,
    ...(key ? { idempotencyKey: key } : {}),
  });
  if (reply.ok && reply.file) {
    await turn.sendActivity(exportActivity(turn, { ...reply, file: reply.file }, text, deps.nonce()));
    return;
  }
  if (reply.digest) {
    await turn.sendActivity(
      cardMessage(digestPreviewCard(reply.digest, { nonce: deps.nonce(), command: text })),
    );
    return;
  }
  const parsed = parseFor(deps.ctx, text);
  const kind = parsed.ok ? parsed.command.kind : null;
  const logButton = (kind === "help" || kind === "mine") && (await casesToLog(env)).length > 0;
  await turn.sendActivity(cardMessage(replyCard(reply, { nonce: deps.nonce(), command: text, logButton })));
}

/**
 * `log` alone opens the logging form; `log 12345` opens it on that case. (`log three-houses 12345`
 * is an ordinary command.) Returns the case id, "" for none, or null when this is no form request.
 */
export function formRequest(text: string): string | null {
  const m = /^\/?(?:sos\s+)?log(?:\s+#?([A-Za-z0-9][A-Za-z0-9_-]*))?$/i.exec(text.trim());
  if (!m) return null;
  const word = m[1];
  if (word === undefined) return "";
  return /\d/.test(word) ? word : null;
}

/**
 * Other people @mentioned in the text (`sos assign 12345 @Ah Hin Xeng`) become their email when they
 * are staff, else their quoted name, so the command reads them like typed ones.
 */
function withPeople(deps: BotDeps, turn: TurnContext, text: string): string {
  const botId = turn.activity.recipient?.id;
  let out = text;
  for (const e of turn.activity.entities ?? []) {
    const m = e as {
      type?: string;
      text?: string;
      mentioned?: { id?: string; name?: string; aadObjectId?: string };
    };
    if (m.type !== "mention" || !m.text || !m.mentioned || m.mentioned.id === botId) continue;
    const staff = byTeamsAccount(deps.ctx.people, { id: m.mentioned.id ?? "", ...m.mentioned });
    const name = m.text.replace(/<\/?at>/g, "").trim();
    out = out.replace(m.text, staff ? staff.email : `"${name}"`);
  }
  return out.replace(/<\/?at>/g, "");
}

const ENTITIES: Readonly<Record<string, string>> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  "#39": "'",
  nbsp: " ",
};

/**
 * What the person typed, as plain text: some Teams clients send a little HTML (a paragraph, a line
 * break, escaped characters) even in plain-text messages.
 */
export function plainText(text: string): string {
  return text
    .replace(/<br\s*\/?>/gi, " ")
    .replace(/<\/?(?:p|div|span)(?:\s[^>]*)?>/gi, " ")
    .replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_m, e: string) => ENTITIES[e] ?? "")
    .trim();
}
