import type { AllMiddlewareArgs, App, SlashCommand } from "@slack/bolt";
import { BUSY_TEXT } from "../../src/commands/offload.ts";
import { pageValue } from "./actions.ts";
import type { SlackDeps } from "./deps.ts";
import { sendExport } from "./export.ts";
import { reason } from "./log.ts";
import { canLog, canOpen, openCaseModal, openLogModal } from "./modals.ts";
import { escapeMrkdwn } from "./render/blockkit.ts";
import { outgoing, replyMessage } from "./reply.ts";
import { type Respond, respondTo } from "./respond.ts";
import { runForSlack } from "./run.ts";

/**
 * What the person typed, as Slack sends it with escaping on (manifest `should_escape`): links and
 * channels back to plain text, `&amp; &lt; &gt;` back to `& < >`; mentions stay `<@U…|name>`, which
 * the core reads as a person.
 */
export function typedText(raw: string): string {
  return raw
    .replace(/<((?:https?|mailto):[^|>]+)(?:\|[^>]*)?>/g, "$1")
    .replace(/<#[A-Z0-9]+\|([^>]*)>/g, "#$1")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .trim();
}

/**
 * `/sos …`: the core's whole grammar. Acknowledged at once (Slack allows 3 seconds), then carried
 * out and answered privately through the command's response_url. `/sos` alone or `/sos log` opens
 * the log form; `/sos open` alone, the open-case form.
 */
export function registerSlash(app: App, deps: SlackDeps): void {
  const { ctx, identity, log } = deps;

  app.command("/sos", async ({ command, ack, client }) => {
    await ack();
    const respond = respondTo(command.response_url);
    // Past the bound, the person is told at once, and nothing is done: not a wait on silence.
    const leave = deps.admission.enter();
    if (!leave) {
      log(`busy: a /sos command was turned away (${deps.admission.inFlight()} being served)`);
      await respond({ response_type: "ephemeral", text: BUSY_TEXT });
      return;
    }
    try {
      await serve(command, respond, client);
    } finally {
      leave();
    }
  });

  async function serve(
    command: SlashCommand,
    respond: Respond,
    client: AllMiddlewareArgs["client"],
  ): Promise<void> {
    const text = typedText(command.text);
    const who = await identity.resolve(command.user_id, client);
    if (!("actor" in who)) {
      await respond({ response_type: "ephemeral", text: escapeMrkdwn(who.refusal) });
      return;
    }
    const { actor } = who;
    const word = text.toLowerCase();
    try {
      if ((word === "" || word === "log") && canLog(actor)) {
        await openLogModal(deps, client, command.trigger_id, command.response_url);
        return;
      }
      if (word === "open" && canOpen(actor)) {
        await openCaseModal(deps, client, actor, command.trigger_id, command.response_url);
        return;
      }
    } catch (e) {
      log(`views.open failed (${reason(e)})`);
      await respond({
        response_type: "ephemeral",
        text: "I couldn't open the form just now. You can type the command instead: `/sos help log` shows how.",
      });
      return;
    }
    const reply = await runForSlack(
      ctx,
      {
        actor,
        text,
        surface: "slack",
        audience: "private",
        // Slack does not resend slash commands, but a retried delivery carries the same trigger_id.
        idempotencyKey: `slack:command:${command.team_id}:${command.trigger_id}`,
      },
      log,
    );
    if (reply.ok && reply.file) {
      await respond({
        response_type: "ephemeral",
        text: await sendExport(client, command.user_id, reply.text, reply.file, log),
      });
      return;
    }
    await respond({
      response_type: "ephemeral",
      ...outgoing(replyMessage(reply, { undoButton: true, pageValue: (p) => pageValue(text, p) }), log),
    });
    if (reply.ok && reply.changedCase && !reply.repeated)
      await deps.home.refresh(command.user_id, actor, client);
  }
}
