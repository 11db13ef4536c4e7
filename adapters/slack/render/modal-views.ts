import type * as types from "@slack/types";
import { ABUSE_TYPES } from "../../../src/domain/abuse.ts";
import type { Actor } from "../../../src/domain/access.ts";
import type { IsoDate } from "../../../src/domain/dates.ts";
import type { ElementKey } from "../../../src/domain/elements.ts";
import type { LogFormView } from "../../../src/render/view.ts";
import { ModalMetaSchema } from "../payloads.ts";
import { clip } from "./blockkit.ts";

/**
 * The two forms, as Block Kit modals: log an element (case, then only that case's elements, the day
 * it happened, a number when the element needs one, a note) and, for supervisors, open a case.
 * Pure: the listeners in modals.ts fill them in and read them back.
 */

export const LOG = {
  callback: "sos_log",
  case: { block: "case", action: "case_pick" },
  element: { block: "element", action: "element_pick" },
  date: { block: "date", action: "date_pick" },
  value: { block: "value", action: "value_input" },
  note: { block: "note", action: "note_input" },
} as const;

export const OPEN = {
  callback: "sos_open",
  caseId: { block: "case_id", action: "case_id_input" },
  child: { block: "child_name", action: "child_name_input" },
  age: { block: "age", action: "age_input" },
  dob: { block: "dob", action: "dob_pick" },
  service: { block: "service", action: "service_pick" },
  abuse: { block: "abuse", action: "abuse_pick" },
  worker: { block: "worker", action: "worker_pick" },
  opened: { block: "opened", action: "opened_pick" },
} as const;

/** What a modal carries between its steps (private_metadata). */
export interface ModalMeta {
  /** the slash command's response_url, so the confirmation lands where /sos was typed */
  readonly r?: string;
  /** the case chosen */
  readonly c?: string;
  /** the element chosen */
  readonly e?: string;
}

export function readMeta(raw: string | undefined): ModalMeta {
  const m = ModalMetaSchema.safeParse(raw || "{}");
  if (!m.success) return {};
  // Only the keys present: an absent key is not `undefined` in the view's metadata.
  const out: { r?: string; c?: string; e?: string } = {};
  for (const k of ["r", "c", "e"] as const) {
    const v = m.data[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
}

const text = (t: string, max = 75): types.PlainTextElement => ({ type: "plain_text", text: clip(t, max) });
const option = (label: string, value: string): types.PlainTextOption => ({ text: text(label), value });

export function caseOption(caseId: string, child: string): types.PlainTextOption {
  return option(child === caseId ? caseId : `${caseId} · ${child}`, caseId);
}

export interface LogModalInput {
  readonly today: IsoDate;
  /** the chosen case's form; null before a case is chosen */
  readonly form: LogFormView | null;
  readonly element: ElementKey | null;
  /** why the chosen case can't be used (not theirs, closed) */
  readonly problem?: string;
  readonly responseUrl?: string;
}

export function logModal(input: LogModalInput): types.ModalView {
  const { form } = input;
  const blocks: types.KnownBlock[] = [
    {
      type: "input",
      block_id: LOG.case.block,
      dispatch_action: true,
      label: text("Case"),
      hint: text("Type the case id or the child's initials.", 150),
      element: {
        type: "external_select",
        action_id: LOG.case.action,
        min_query_length: 0,
        placeholder: text("Case id or initials"),
        ...(form ? { initial_option: caseOption(form.caseId, form.child) } : {}),
      },
    },
  ];
  if (input.problem) {
    blocks.push({
      type: "context",
      elements: [{ type: "mrkdwn", text: `:warning: ${clip(input.problem, 2900)}` }],
    });
  }
  const chosen = form && input.element ? form.elements.find((e) => e.element === input.element) : undefined;
  if (form) {
    blocks.push(
      { type: "context", elements: [{ type: "mrkdwn", text: clip(`${form.dashboard} dashboard`, 2900) }] },
      {
        type: "input",
        block_id: LOG.element.block,
        dispatch_action: true,
        label: text("What was done"),
        element: {
          type: "static_select",
          action_id: LOG.element.action,
          placeholder: text("Choose a practice element"),
          options: form.elements.map((e) => option(e.label, e.element)),
          ...(chosen ? { initial_option: option(chosen.label, chosen.element) } : {}),
        },
      },
    );
  }
  blocks.push({
    type: "input",
    block_id: LOG.date.block,
    label: text("Date it happened"),
    hint: text("Not in the future, and not before the case was opened.", 150),
    element: { type: "datepicker", action_id: LOG.date.action, initial_date: input.today },
  });
  if (chosen?.range) {
    const { min, max } = chosen.range;
    const what = max <= 10 ? `${chosen.label} (${min}–${max})` : `${chosen.label}: people in the network`;
    blocks.push({
      type: "input",
      block_id: LOG.value.block,
      label: text(what, 2000),
      element: {
        type: "number_input",
        action_id: LOG.value.action,
        is_decimal_allowed: false,
        min_value: String(min),
        max_value: String(max),
      },
    });
  }
  blocks.push({
    type: "input",
    block_id: LOG.note.block,
    optional: true,
    label: text("Note"),
    hint: text("Shown only to you and in the case history, never in channels.", 150),
    element: { type: "plain_text_input", action_id: LOG.note.action, multiline: true, max_length: 1000 },
  });
  const meta: ModalMeta = {
    ...(input.responseUrl ? { r: input.responseUrl } : {}),
    ...(form ? { c: form.caseId } : {}),
    ...(chosen ? { e: chosen.element } : {}),
  };
  return {
    type: "modal",
    callback_id: LOG.callback,
    title: text("Log practice", 24),
    submit: text("Save", 24),
    close: text("Cancel", 24),
    private_metadata: JSON.stringify(meta),
    blocks,
  };
}

export interface OpenModalInput {
  readonly today: IsoDate;
  readonly services: readonly { readonly slug: string; readonly title: string }[];
  readonly caseholders: readonly Actor[];
  /** who is opening it: the default holder when they hold cases themselves */
  readonly me: Actor;
  readonly responseUrl?: string;
}

/** Beyond this many caseholders the worker field searches instead of listing (Slack lists 100). */
export const MAX_LISTED = 100;

export function openModal(input: OpenModalInput): types.ModalView {
  const holder = (a: Actor) => option(`${a.name} (${a.role})`, a.email);
  const mine = input.caseholders.find((a) => a.staffId === input.me.staffId);
  const worker: types.InputBlock["element"] =
    input.caseholders.length <= MAX_LISTED
      ? {
          type: "static_select",
          action_id: OPEN.worker.action,
          placeholder: text("Who will hold the case"),
          options: input.caseholders.map(holder),
          ...(mine ? { initial_option: holder(mine) } : {}),
        }
      : {
          type: "external_select",
          action_id: OPEN.worker.action,
          min_query_length: 2,
          placeholder: text("Type a name"),
          ...(mine ? { initial_option: holder(mine) } : {}),
        };
  const blocks: types.KnownBlock[] = [
    {
      type: "input",
      block_id: OPEN.caseId.block,
      label: text("Case id"),
      hint: text("The agency's own id, letters and digits, e.g. 12345.", 150),
      element: { type: "plain_text_input", action_id: OPEN.caseId.action, max_length: 40 },
    },
    {
      type: "input",
      block_id: OPEN.child.block,
      label: text("Child's name"),
      hint: text("Channels show initials only; the full name shows in private views.", 150),
      element: { type: "plain_text_input", action_id: OPEN.child.action, max_length: 100 },
    },
    {
      type: "input",
      block_id: OPEN.age.block,
      optional: true,
      label: text("Age in years"),
      hint: text("Give the age or the date of birth.", 150),
      element: {
        type: "number_input",
        action_id: OPEN.age.action,
        is_decimal_allowed: false,
        min_value: "0",
        max_value: "25",
      },
    },
    {
      type: "input",
      block_id: OPEN.dob.block,
      optional: true,
      label: text("Date of birth"),
      element: { type: "datepicker", action_id: OPEN.dob.action },
    },
    {
      type: "input",
      block_id: OPEN.service.block,
      label: text("Service dashboard"),
      element: {
        type: "static_select",
        action_id: OPEN.service.action,
        options: input.services.map((s) => option(s.title, s.slug)),
      },
    },
    {
      type: "input",
      block_id: OPEN.abuse.block,
      optional: true,
      label: text("Abuse types"),
      element: {
        type: "multi_static_select",
        action_id: OPEN.abuse.action,
        options: ABUSE_TYPES.map((a) => option(`${a.code}: ${a.label}`, a.code)),
      },
    },
    { type: "input", block_id: OPEN.worker.block, label: text("Worker"), element: worker },
    {
      type: "input",
      block_id: OPEN.opened.block,
      label: text("Date opened"),
      element: { type: "datepicker", action_id: OPEN.opened.action, initial_date: input.today },
    },
  ];
  return {
    type: "modal",
    callback_id: OPEN.callback,
    title: text("Open a case", 24),
    submit: text("Open case", 24),
    close: text("Cancel", 24),
    private_metadata: JSON.stringify(input.responseUrl ? { r: input.responseUrl } : {}),
    blocks,
  };
}
