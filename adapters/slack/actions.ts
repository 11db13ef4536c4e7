import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { WRITES } from "../../src/commands/registry.ts";
import { parseFor } from "../../src/commands/run.ts";
import type { SlackDeps } from "./deps.ts";
import { PageValue, read, UndoValue } from "./payloads.ts";
import { escapeMrkdwn } from "./render/blockkit.ts";
import { PAGE_ACTION } from "./render/blockkit-tables.ts";
import { outgoing, replyMessage, UNDO_ACTION } from "./reply.ts";
import { runForSlack } from "./run.ts";

/**
 * Buttons on messages: Undo on a confirmation (takes back exactly that entry, once however often it
 * is clicked) and Previous/Next on a paged dashboard (runs the same read-only command again).
 */

/** What a page button carries: the command typed, and the page to show. */
export function pageValue(text: string, page: number): string {
  return JSON.stringify({ q: text, p: page });
}

export function registerActions(app: App, deps: SlackDeps): void {
  const { ctx, identity, log } = deps;

  app.action<BlockAction<ButtonAction>>(UNDO_ACTION, async ({ ack, body, action, respond, client }) => {
    await ack();
    const who = await identity.resolve(body.user.id, client);
    if (!("actor" in who)) {
      await respond({ response_type: "ephemeral", replace_original: false, text: escapeMrkdwn(who.refusal) });
      return;
    }
    const entryId = read(UndoValue, action.value);
    if (entryId === undefined) return;
    // The same button on the same message is one undo, however often it is clicked.
    const where = String(body.container?.message_ts ?? body.message?.ts ?? action.action_ts);
    const reply = await runForSlack(
      ctx,
      {
        actor: who.actor,
        command: { kind: "undo", entryId },
        surface: "slack",
        audience: "private",
        idempotencyKey: `slack:action:${where}:${UNDO_ACTION}:${entryId}`,
      },
      log,
    );
    // Done: the confirmation turns into the undo notice. Refused: a new message, the original stays.
    await respond({
      response_type: "ephemeral",
      replace_original: reply.ok,
      ...outgoing(replyMessage(reply), log),
    });
    if (reply.ok && !reply.repeated) await deps.home.refresh(body.user.id, who.actor, client);
  });

  app.action<BlockAction<ButtonAction>>(
    new RegExp(`^${PAGE_ACTION}_(prev|next)$`),
    async ({ ack, body, action, respond, client }) => {
      await ack();
      const v = read(PageValue, action.value);
      if (!v) return;
      const parsed = parseFor(ctx, v.q);
      if (!parsed.ok || WRITES.has(parsed.command.kind)) return;
      const who = await identity.resolve(body.user.id, client);
      if (!("actor" in who)) return;
      const reply = await runForSlack(
        ctx,
        {
          actor: who.actor,
          command: parsed.command,
          surface: "slack",
          audience: "private",
        },
        log,
      );
      await respond({
        response_type: "ephemeral",
        replace_original: true,
        ...outgoing(replyMessage(reply, { page: v.p, pageValue: (p) => pageValue(v.q, p) }), log),
      });
    },
  );
}
