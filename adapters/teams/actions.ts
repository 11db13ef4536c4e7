import { createHash } from "node:crypto";
import type { TurnContext } from "@microsoft/agents-hosting";
import { type Command, WRITES } from "../../src/commands/command.ts";
import { type Env, makeEnv } from "../../src/commands/env.ts";
import { casesToLog, logField, logFormFor } from "../../src/commands/log-form.ts";
import { notStaffText } from "../../src/commands/messages.ts";
import { parseFor, runCommand } from "../../src/commands/run.ts";
import { nudgeFor } from "../../src/digest/nudges.ts";
import { isElementKey } from "../../src/domain/elements.ts";
import { messageCard, noticeCard, replyCard } from "./render/adaptive-card.ts";
import { digestPreviewCard, nudgeCards } from "./render/adaptive-card-digest.ts";
import {
  type FormProblem,
  type FormValues,
  logFormCard,
  NOTE_MAX,
  pickCaseCard,
} from "./render/adaptive-card-form.ts";
import { type AdaptiveCard, VERB } from "./render/adaptive-card-kit.ts";
import { audienceOf, type BotDeps, whoIs } from "./turn.ts";

/**
 * A button pressed on one of our cards, from Action.Execute or its Action.Submit fallback alike:
 * the verb and its data in, the card to show in its place out.
 */
export interface CardOutcome {
  readonly card: AdaptiveCard;
  /** the record changed: in a shared conversation everyone should see the new card */
  readonly wrote: boolean;
  /** send the card as a message of its own and leave the pressed card as it is (a nudge's Log…) */
  readonly separate?: { readonly note: string };
}

export type ActionData = Readonly<Record<string, unknown>>;

export async function onCardAction(
  deps: BotDeps,
  turn: TurnContext,
  verb: string,
  data: ActionData,
): Promise<CardOutcome> {
  const who = await whoIs(deps, turn);
  if (!who.actor) {
    return {
      card: noticeCard(notStaffText(deps.ctx.org, who.account), "problem"),
      wrote: false,
    };
  }
  const env = makeEnv(deps.ctx, who.actor, "teams", audienceOf(turn.activity));
  switch (verb) {
    case VERB.undo:
      return undo(deps, env, data);
    case VERB.form:
      return { card: pickCaseCard(casesToLog(env), { nonce: deps.nonce() }), wrote: false };
    case VERB.formCase:
      return { card: formFor(env, str(data.caseId), deps.nonce()), wrote: false };
    case VERB.log:
      return log(deps, env, data);
    case VERB.page:
      return { card: page(deps, env, data), wrote: false };
    case VERB.snooze:
      return snooze(deps, env, data);
    case VERB.nudgeLog: {
      const caseId = str(data.caseId);
      return {
        card: formFor(env, caseId, deps.nonce()),
        wrote: false,
        separate: { note: `The form for case ${caseId} is in a new message below.` },
      };
    }
    default: {
      const text = "That button is from an older version of this app. Type `/sos help` to carry on.";
      return { card: noticeCard(text, "problem"), wrote: false };
    }
  }
}

function undo(deps: BotDeps, env: Env, data: ActionData): CardOutcome {
  const entryId = Number(data.entryId);
  const nonce = str(data.nonce);
  if (!Number.isInteger(entryId) || !nonce) return { card: stale(), wrote: false };
  const reply = run(deps, env, { kind: "undo", entryId }, `teams:undo:${nonce}:${entryId}`);
  return { card: messageCard(reply, { nonce: deps.nonce() }), wrote: reply.ok };
}

/** Step 2 of the form for a case, or step 1 again saying why that case can't be used. */
function formFor(
  env: Env,
  caseId: string,
  nonce: string,
  again: { values?: FormValues; problem?: FormProblem } = {},
): AdaptiveCard {
  const found = caseId ? logFormFor(env, caseId) : null;
  if (found && "form" in found) return logFormCard(found.form, { nonce, ...again });
  const text = found ? found.reply.text : "Choose a case.";
  return pickCaseCard(casesToLog(env), { nonce, problem: { field: "case", text } });
}

function log(deps: BotDeps, env: Env, data: ActionData): CardOutcome {
  const caseId = str(data.caseId);
  const nonce = str(data.nonce);
  if (!nonce) return { card: stale(), wrote: false };
  const values: FormValues = {
    element: str(data.element),
    date: str(data.date),
    value: str(data.value),
    note: str(data.note).slice(0, NOTE_MAX),
  };
  const element = values.element ?? "";
  if (!isElementKey(element)) {
    const problem = { field: "element" as const, text: "Choose what was done." };
    return { card: formFor(env, caseId, nonce, { values, problem }), wrote: false };
  }
  const command: Command = {
    kind: "log",
    element,
    caseId,
    date: values.date || null,
    value: values.value ? Number(values.value) : null,
    note: values.note?.trim() || null,
  };
  // The same card sent twice (a double click) carries the same nonce and the same entries: one key.
  const digest = createHash("sha256").update(JSON.stringify(command)).digest("hex").slice(0, 16);
  const reply = run(deps, env, command, `teams:log:${nonce}:${digest}`);
  if (reply.ok) return { card: messageCard(reply, { nonce: deps.nonce() }), wrote: true };
  const problem = { field: reply.issue ? logField(reply.issue.code) : null, text: reply.text };
  return { card: formFor(env, caseId, nonce, { values, problem }), wrote: false };
}

/**
 * A nudge's Snooze: `/sos snooze` for that case, once per card however often it is pressed (the
 * card's nonce), then the nudge drawn again over the same cases as they stand now, that case saying
 * what happened in place of its buttons.
 */
function snooze(deps: BotDeps, env: Env, data: ActionData): CardOutcome {
  const caseId = str(data.caseId);
  const days = Number(data.days);
  const nonce = str(data.nonce);
  if (!caseId || !nonce || !Number.isInteger(days)) return { card: stale(), wrote: false };
  const reply = run(deps, env, { kind: "snooze", caseId, days }, `teams:snooze:${nonce}:${caseId}`);
  const listed = str(data.cases).split(" ").filter(Boolean);
  const cases = listed.includes(caseId) ? listed : [...listed, caseId];
  const view = nudgeFor(env, cases);
  const snoozed = deps.ctx.repo.digests.snoozedOn(env.today);
  const notes = new Map<string, { text: string; tone: "good" | "problem" }>();
  for (const id of cases)
    if (snoozed.has(id))
      notes.set(id, { text: "Snoozed: no reminders about this case for now.", tone: "good" });
  notes.set(
    caseId,
    reply.ok ? { text: `Snoozed. ${reply.text}`, tone: "good" } : { text: reply.text, tone: "problem" },
  );
  const gone = cases.filter((id) => !view.items.some((i) => i.caseId === id));
  const [card] = nudgeCards(view, { nonce: deps.nonce(), notes, gone });
  return { card: card!, wrote: reply.ok && !reply.repeated };
}

/** Another page of a dashboard: the command is run again, so the page shows the record as it is now. */
function page(deps: BotDeps, env: Env, data: ActionData): AdaptiveCard {
  const command = str(data.command);
  const parsed = parseFor(deps.ctx, command);
  // Only a read runs from a page button: its data comes back from the client.
  if (!command || !parsed.ok || WRITES.has(parsed.command.kind)) return stale();
  const reply = runCommand(deps.ctx, {
    actor: env.actor,
    command: parsed.command,
    surface: "teams",
    audience: env.audience,
  });
  const opts = { nonce: deps.nonce(), command, page: Number(data.page) || 1 };
  return reply.digest ? digestPreviewCard(reply.digest, opts) : replyCard(reply, opts);
}

function run(deps: BotDeps, env: Env, command: Command, idempotencyKey: string) {
  return runCommand(deps.ctx, {
    actor: env.actor,
    command,
    surface: "teams",
    audience: env.audience,
    idempotencyKey,
  });
}

function stale(): AdaptiveCard {
  return noticeCard("That button can't be used any more. Type `/sos help` to carry on.", "problem");
}

function str(x: unknown): string {
  return typeof x === "string" ? x : typeof x === "number" ? String(x) : "";
}
