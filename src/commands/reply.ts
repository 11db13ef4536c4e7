import type { DigestView } from "../digest/views.ts";
import type { ElementKey } from "../domain/elements.ts";
import type { CaseView, CoverageView, DashboardView, StuckView } from "../render/view.ts";
import type { Issue } from "./issues.ts";

/** An entry just recorded: enough for an Undo button that takes back exactly this one. */
export interface LoggedEntry {
  readonly entryId: number;
  readonly caseId: string;
  readonly element: ElementKey;
  readonly label: string;
  readonly occurredOn: string;
  readonly value: number | null;
}

/**
 * What a command answers, for any surface. `text` is always complete on its own (the console prints
 * it; chat uses it as the fallback); the structured parts let richer surfaces draw tables and buttons.
 */
export interface Reply {
  readonly ok: boolean;
  readonly text: string;
  readonly issue?: Issue;
  /** this delivery was already carried out: the first reply, repeated; nothing changed this time */
  readonly repeated?: boolean;
  readonly logged?: LoggedEntry;
  readonly undone?: { readonly entryId: number; readonly caseId: string; readonly label: string };
  /** the case whose record changed, so surfaces can refresh what they show of it */
  readonly changedCase?: string;
  readonly dashboards?: readonly DashboardView[];
  readonly coverage?: CoverageView;
  readonly stuck?: StuckView;
  readonly caseView?: CaseView;
  /** a digest preview */
  readonly digest?: DigestView;
  /** a file to hand over (an export): surfaces upload it, the console prints it */
  readonly file?: { readonly filename: string; readonly mime: string; readonly content: string };
}
