import type { App, BlockAction, ButtonAction, types } from "@slack/bolt";
import type { SlackDeps } from "./deps.ts";
import { reason } from "./log.ts";
import { openLogModal } from "./modals.ts";
import { context, escapeMrkdwn } from "./render/blockkit.ts";
import {
  NUDGE_LOG_ACTION,
  NUDGE_SNOOZE_ACTION,
  nudgeBlockId,
  readSnoozeValue,
} from "./render/blockkit-digest.ts";
import { checkMessage } from "./render/blockkit-limits.ts";
import { outgoing, replyMessage } from "./reply.ts";
import { runForSlack } from "./run.ts";

/**
 * The buttons on a nudge (a direct message about one's own stuck cases): Log… opens the log form
 * on that case; Snooze runs `/sos snooze` for it once, however often it is clicked, and puts what
 * happened in place of that case's buttons.
 */

/** The nudge's blocks with one case's buttons replaced by a line saying what happened. */
export function markCase(blocks: readonly unknown[], caseId: string, line: string): unknown[] | null {
  const id = nudgeBlockId(caseId);
  let found = false;
  const out = blocks.map((b) => {
    if (typeof b !== "object" || b === null || (b as { block_id?: unknown }).block_id !== id) return b;
    found = true;
    return { ...context(line), block_id: id };
  });
  return found ? out : null;
}

export function registerNudgeActions(app: App, deps: SlackDeps): void {
  const { ctx, identity, log } = deps;

  app.action<BlockAction<ButtonAction>>(NUDGE_LOG_ACTION, async ({ ack, body, action, respond, client }) => {
    await ack();
    const who = await identity.resolve(body.user.id, client, deps.formWaitMs);
    if (!("actor" in who)) {
      await respond({ response_type: "ephemeral", replace_original: false, text: escapeMrkdwn(who.refusal) });
      return;
    }
    try {
      await openLogModal(deps, client, body.trigger_id, undefined, {
        actor: who.actor,
        caseId: action.value ?? "",
      });
    } catch (e) {
      log(`views.open failed (${reason(e)})`);
      await respond({
        response_type: "ephemeral",
        replace_original: false,
        text: `I couldn't open the form just now. You can type it instead: \`/sos <element> ${escapeMrkdwn(action.value ?? "")}\`.`,
      });
    }
  });

  app.action<BlockAction<ButtonAction>>(
    NUDGE_SNOOZE_ACTION,
    async ({ ack, body, action, respond, client }) => {
      await ack();
      const who = await identity.resolve(body.user.id, client);
      if (!("actor" in who)) {
        await respond({
          response_type: "ephemeral",
          replace_original: false,
          text: escapeMrkdwn(who.refusal),
        });
        return;
      }
      const v = readSnoozeValue(action.value);
      if (!v) return;
      // The same button on the same message is one snooze, however often it is clicked.
      const where = String(body.container?.message_ts ?? body.message?.ts ?? action.action_ts);
      const reply = await runForSlack(
        ctx,
        {
          actor: who.actor,
          command: { kind: "snooze", caseId: v.caseId, days: v.days },
          surface: "slack",
          audience: "private",
          idempotencyKey: `slack:action:${where}:${NUDGE_SNOOZE_ACTION}:${v.caseId}`,
        },
        log,
      );
      const original = body.message;
      const blocks = Array.isArray(original?.blocks) ? (original.blocks as unknown[]) : null;
      const marked =
        reply.ok && blocks
          ? markCase(blocks, v.caseId, `:zzz: *Snoozed.* ${escapeMrkdwn(reply.text)}`)
          : null;
      if (marked && checkMessage({ text: "x", blocks: marked }).length === 0) {
        // The nudge itself now says the case is snoozed, and has no Snooze button for it any more.
        await respond({
          replace_original: true,
          text: typeof original?.text === "string" ? original.text : reply.text,
          blocks: marked as types.KnownBlock[],
        });
        return;
      }
      // An ephemeral message (a preview) comes without its blocks; and a refusal is said on its own.
      await respond({
        response_type: "ephemeral",
        replace_original: false,
        ...outgoing(replyMessage(reply), log),
      });
    },
  );
}
