import type { CaseChoice, LogFormView } from "../../../src/render/view.ts";
import { type AdaptiveCard, action, type CardElement, card, text, VERB } from "./adaptive-card-kit.ts";

/**
 * The logging form as two cards: pick one of your cases, then record an element of that case's
 * dashboard. A refused entry comes back as the same form, the reason under the field it is about.
 */

export type FormField = "case" | "element" | "date" | "value";

export interface FormProblem {
  /** null: not about one field (shown above the button) */
  readonly field: FormField | null;
  readonly text: string;
}

/** What the person had entered, kept when the form comes back with a problem. */
export interface FormValues {
  readonly element?: string;
  readonly date?: string;
  readonly value?: string;
  readonly note?: string;
}

export const NOTE_MAX = 1000;

function problemBlock(problem: FormProblem | undefined, field: FormField | null): CardElement[] {
  return problem && problem.field === field
    ? [text(problem.text, { color: "Attention", spacing: "Small", size: "Small" })]
    : [];
}

export function pickCaseCard(
  cases: readonly CaseChoice[],
  opts: { nonce: string; problem?: FormProblem },
): AdaptiveCard {
  const title = text("Log practice", { size: "Medium", weight: "Bolder", style: "heading" });
  if (cases.length === 0) {
    const none = "You have no open cases to record on. Cases allocated to you show here.";
    return card([title, text(none)], none);
  }
  const several = new Set(cases.map((c) => c.worker)).size > 1;
  const body: CardElement[] = [
    title,
    ...problemBlock(opts.problem, null),
    {
      type: "Input.ChoiceSet",
      id: "caseId",
      label: "Which case?",
      isRequired: true,
      errorMessage: "Choose a case.",
      placeholder: "Case id or name",
      ...(cases.length > 8 ? { style: "filtered" as const } : {}),
      choices: cases.map((c) => ({
        title: [c.caseId, c.child === c.caseId ? null : c.child, several ? c.worker : null, c.dashboard]
          .filter((x) => x !== null)
          .join(" · "),
        value: c.caseId,
      })),
    },
    ...problemBlock(opts.problem, "case"),
  ];
  const fallback = `Log practice: choose one of your ${cases.length} cases, or type sos <element> <case-id>.`;
  return card(body, fallback, {
    actions: [action("Next", VERB.formCase, { nonce: opts.nonce }, { style: "positive" })],
  });
}

export function logFormCard(
  form: LogFormView,
  opts: { nonce: string; values?: FormValues; problem?: FormProblem },
): AdaptiveCard {
  const v = opts.values ?? {};
  const numbered = form.elements.filter((e) => e.range !== null);
  const body: CardElement[] = [
    text(`Log practice on case ${form.caseId}`, { size: "Medium", weight: "Bolder", style: "heading" }),
    text(
      [form.child === form.caseId ? null : form.child, form.dashboard, `opened ${form.opened}`]
        .filter((x) => x !== null)
        .join(" · "),
      { isSubtle: true, spacing: "None" },
    ),
    ...problemBlock(opts.problem, "case"),
    {
      type: "Input.ChoiceSet",
      id: "element",
      label: "What was done?",
      isRequired: true,
      errorMessage: "Choose what was done.",
      choices: form.elements.map((e) => ({ title: e.label, value: e.element })),
      ...(v.element ? { value: v.element } : {}),
    },
    ...problemBlock(opts.problem, "element"),
    {
      type: "Input.Date",
      id: "date",
      label: "On what day?",
      isRequired: true,
      errorMessage: `Choose a day from ${form.opened} (opened) to today.`,
      value: v.date || form.today,
      min: form.openedOn,
      max: form.today,
    },
    ...problemBlock(opts.problem, "date"),
  ];
  if (numbered.length > 0) {
    const max = Math.max(...numbered.map((e) => e.range!.max));
    body.push(
      {
        type: "Input.Number",
        id: "value",
        label: `Number, only for ${numbered.map((e) => `${e.label} (${e.range!.min} to ${e.range!.max})`).join(" or ")}`,
        min: 0,
        max,
        errorMessage: `A whole number from 0 to ${max}.`,
        ...(v.value !== undefined && v.value !== "" && Number.isFinite(Number(v.value))
          ? { value: Number(v.value) }
          : {}),
      },
      ...problemBlock(opts.problem, "value"),
    );
  }
  body.push(
    {
      type: "Input.Text",
      id: "note",
      label: "Note (optional)",
      isMultiline: true,
      maxLength: NOTE_MAX,
      ...(v.note ? { value: v.note } : {}),
    },
    ...problemBlock(opts.problem, null),
  );
  const fallback = `Log practice on case ${form.caseId}: type sos <element> ${form.caseId} [date] [number] [-- note].`;
  return card(body, fallback, {
    actions: [
      action("Record", VERB.log, { caseId: form.caseId, nonce: opts.nonce }, { style: "positive" }),
      action("Choose another case", VERB.form, { nonce: opts.nonce }, { inputs: "none" }),
    ],
  });
}
