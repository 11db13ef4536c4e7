import type { webApi } from "@slack/bolt";
import type { Ctx } from "../../src/app/context.ts";
import type { Actor } from "../../src/domain/access.ts";
import type { Admission } from "../../src/server/admission.ts";
import type { Identity } from "./identity.ts";
import type { SlackLog } from "./log.ts";

/** What every Slack listener shares: the app's context, who is who, the log, and the App Home. */
export interface SlackDeps {
  readonly ctx: Ctx;
  readonly identity: Identity;
  readonly log: SlackLog;
  readonly home: HomeRefresher;
  /** how many slash commands may be served at once; one more is told the server is busy */
  readonly admission: Admission;
  /** how long a form's answer may wait for Slack to say who the person is (Slack allows 3 s in all) */
  readonly formWaitMs: number;
}

export interface HomeRefresher {
  /** re-publishes the person's App Home after a change they made; failures are logged, not thrown */
  refresh(userId: string, actor: Actor, client: webApi.WebClient): Promise<void>;
}
