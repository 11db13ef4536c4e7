import { createHash } from "node:crypto";
import type { TurnContext } from "@microsoft/agents-hosting";
import { z } from "zod";
import { type Invocation, makeInvocation } from "../../src/commands/invocation.ts";
import { casesToLog, logField, logFormFor } from "../../src/commands/log-form.ts";
import { notStaffText } from "../../src/commands/messages.ts";
import { type Command, WRITES } from "../../src/commands/registry.ts";
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
  const env = makeInvocation(deps.ctx, who.actor, "teams", audienceOf(turn.activity));
  switch (verb) {
    case VERB.undo:
      return undo(deps, env, data);
    case VERB.form:
      return { card: pickCaseCard(await casesToLog(env), { nonce: deps.nonce() }), wrote: false };
    case VERB.formCase:
      return { card: await formFor(env, str(data.caseId), deps.nonce()), wrote: false };
    case VERB.log:
      return log(deps, env, data);
    case VERB.page:
      return { card: await page(deps, env, data), wrote: false };
    case VERB.snooze:
      return snooze(deps, env, data);
    case VERB.nudgeLog: {
      const caseId = str(data.caseId);
      return {
        card: await formFor(env, caseId, deps.nonce()),
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

// What each button's data must hold. The client sends back what the card carried, so anything else is
// an old card or a crafted request: it gets "that button can't be used", never a half-read command.
const text = z.union([z.string(), z.number().transform(String)]);
const UndoData = z.object({ entryId: z.coerce.number().int().positive(), nonce: z.string().min(1) });
const LogData = z.object({
  caseId: text.default(""),
  nonce: z.string().min(1),
  element: text.optional(),
  date: text.optional(),
  value: text.optional(),
  note: text.optional(),
});
const SnoozeData = z.object({
  caseId: z.string().min(1),
  days: z.coerce.number(),
  nonce: z.string().min(1),
  cases: z.string().default(""),
});
const PageData = z.object({ command: z.string().min(1), page: z.coerce.number().int().positive().catch(1) });

async function undo(deps: BotDeps, env: Invocation, raw: ActionData): Promise<CardOutcome> {
  const data = UndoData.safeParse(raw);
  if (!data.success) return { card: stale(), wrote: false };
  const { entryId, nonce } = data.data;
  const reply = await run(deps, env, { kind: "undo", entryId }, `teams:undo:${nonce}:${entryId}`);
  return { card: messageCard(reply, { nonce: deps.nonce() }), wrote: reply.ok };
}

/** Step 2 of the form for a case, or step 1 again saying why that case can't be used. */
async function formFor(
  env: Invocation,
  caseId: string,
  nonce: string,
  again: { values?: FormValues; problem?: FormProblem } = {},
): Promise<AdaptiveCard> {
  const found = caseId ? await logFormFor(env, caseId) : null;
  if (found && "form" in found) return logFormCard(found.form, { nonce, ...again });
  const text = found ? found.reply.text : "Choose a case.";
  return pickCaseCard(await casesToLog(env), { nonce, problem: { field: "case", text } });
}

async function log(deps: BotDeps, env: Invocation, raw: ActionData): Promise<CardOutcome> {
  const data = LogData.safeParse(raw);
  if (!data.success) return { card: stale(), wrote: false };
  const { caseId, nonce } = data.data;
  const values: FormValues = {
    element: data.data.element ?? "",
    date: data.data.date ?? "",
    value: data.data.value ?? "",
    note: (data.data.note ?? "").slice(0, NOTE_MAX),
  };
  const element = values.element ?? "";
  if (!isElementKey(element)) {
    const problem = { field: "element" as const, text: "Choose what was done." };
    return { card: await formFor(env, caseId, nonce, { values, problem }), wrote: false };
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
  const reply = await run(deps, env, command, `teams:log:${nonce}:${digest}`);
  if (reply.ok) return { card: messageCard(reply, { nonce: deps.nonce() }), wrote: true };
  const problem = { field: reply.issue ? logField(reply.issue.code) : null, text: reply.text };
  return { card: await formFor(env, caseId, nonce, { values, problem }), wrote: false };
}

/**
 * A nudge's Snooze: `/sos snooze` for that case, once per card however often it is pressed (the
 * card's nonce), then the nudge drawn again over the same cases as they stand now, that case saying
 * what happened in place of its buttons.
 */
async function snooze(deps: BotDeps, env: Invocation, raw: ActionData): Promise<CardOutcome> {
  const data = SnoozeData.safeParse(raw);
  if (!data.success) return { card: stale(), wrote: false };
  const { caseId, days, nonce } = data.data;
  // The days go to the snooze command's own schema: the same range as typed `/sos snooze`.
  const reply = await run(deps, env, { kind: "snooze", caseId, days }, `teams:snooze:${nonce}:${caseId}`);
  const listed = data.data.cases.split(" ").filter(Boolean);
  const cases = listed.includes(caseId) ? listed : [...listed, caseId];
  const view = await nudgeFor(env, cases);
  const snoozed = await env.reads.snoozedOn(env.today);
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
async function page(deps: BotDeps, env: Invocation, raw: ActionData): Promise<AdaptiveCard> {
  const data = PageData.safeParse(raw);
  if (!data.success) return stale();
  const { command } = data.data;
  const parsed = parseFor(deps.ctx, command);
  // Only a read runs from a page button: its data comes back from the client.
  if (!parsed.ok || WRITES.has(parsed.command.kind)) return stale();
  const reply = await runCommand(deps.ctx, {
    actor: env.actor,
    command: parsed.command,
    surface: "teams",
    audience: env.audience,
  });
  const opts = { nonce: deps.nonce(), command, page: data.data.page };
  return reply.digest ? digestPreviewCard(reply.digest, opts) : replyCard(reply, opts);
}

function run(deps: BotDeps, env: Invocation, command: Command, idempotencyKey: string) {
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
