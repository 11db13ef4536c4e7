import type { NudgePlan } from "../digest/nudges.ts";
import type { AgencySummaryView, TeamDigestView } from "../digest/views.ts";
import type { Actor } from "../domain/access.ts";
import type { IsoDate } from "../domain/dates.ts";
import type { WhiteboardModel } from "../pictures/whiteboard-view.ts";
import type { Reply } from "./reply.ts";
import type { CommandInput } from "./run.ts";
import type { HomeData } from "./views.ts";

/**
 * Work that may run off the server's main thread: each a function of the context and plain data,
 * answering plain data, so a reader thread with its own read-only connection can do it
 * (`src/server/readers.ts`). Writes never go here: they are sub-millisecond and stay on the main
 * thread, in one transaction each. Whoever runs a job hands over the config of the moment with it,
 * so a reader never answers from a config the app no longer has.
 */
export interface OffloadJobs {
  /** a command that only reads (a dashboard, a stuck list, a case, a preview, an export) */
  readonly command: { readonly args: CommandInput; readonly result: Reply };
  /** what a person's App Home shows */
  readonly home: { readonly args: { readonly actor: Actor }; readonly result: HomeData };
  readonly teamDigest: {
    readonly args: DigestRequest & { readonly teamId: string };
    readonly result: TeamDigestView;
  };
  readonly agencySummary: { readonly args: DigestRequest; readonly result: AgencySummaryView };
  /** a team's nudges for a day, planned */
  readonly nudges: {
    readonly args: { readonly teamId: string; readonly day: IsoDate };
    readonly result: NudgePlan;
  };
  /** a team's whiteboard for its digest (names by the channel rule) and its pictures as SVG */
  readonly whiteboard: {
    readonly args: { readonly teamId: string };
    readonly result: { readonly model: WhiteboardModel; readonly full: string; readonly compact: string };
  };
}

export interface DigestRequest {
  readonly asOf: IsoDate;
  readonly period: string;
  readonly late: boolean;
}

export type JobName = keyof OffloadJobs;

/** The reader threads, as the app sees them. */
export interface Offload {
  /**
   * Runs a job on a reader. `background`: it may wait behind what people are waiting on (digests).
   * Rejects with `Busy` when more is waiting than can be served soon; with the job's own error
   * otherwise.
   */
  run<K extends JobName>(
    job: K,
    args: OffloadJobs[K]["args"],
    opts?: { readonly background?: boolean },
  ): Promise<OffloadJobs[K]["result"]>;
}

/**
 * More is waiting than can be served soon: the person is told to try again in a minute (and for a
 * command, that nothing was done), rather than waiting on silence.
 */
export class Busy extends Error {
  override name = "Busy";
  constructor() {
    super("the server is busy");
  }
}

/** What a person is told when their request was turned away because the server is busy. */
export const BUSY_TEXT =
  "Sorry, I'm too busy to do that right now, so nothing was done or stored. Please try again in a minute.";

export function isServerBusy(e: unknown): boolean {
  return e instanceof Error && e.name === "Busy";
}
