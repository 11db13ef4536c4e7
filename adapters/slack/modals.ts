import type {
  App,
  BlockAction,
  ExternalSelectAction,
  StaticSelectAction,
  ViewSubmitAction,
  webApi,
} from "@slack/bolt";
import type { IssueCode } from "../../src/commands/issues.ts";
import { caseholdersFor, logFormFor, loggableCases } from "../../src/commands/log-form.ts";
import type { Reply } from "../../src/commands/reply.ts";
import { viewEnv } from "../../src/commands/views.ts";
import { isAbuseCode } from "../../src/domain/abuse.ts";
import type { Actor } from "../../src/domain/access.ts";
import { isServiceSlug, SERVICE_SLUGS } from "../../src/domain/dashboards.ts";
import { type ElementKey, isElementKey } from "../../src/domain/elements.ts";
import { initials, nameCell } from "../../src/domain/names.ts";
import type { SlackDeps } from "./deps.ts";
import { reason } from "./log.ts";
import { deliver } from "./post.ts";
import { clip } from "./render/blockkit.ts";
import {
  caseOption,
  LOG,
  logModal,
  MAX_LISTED,
  type ModalMeta,
  OPEN,
  openModal,
  readMeta,
} from "./render/modal-views.ts";
import { outgoing, replyMessage } from "./reply.ts";
import { runForSlack } from "./run.ts";

/**
 * The log and open-case modals: opening them, filling in the dependent fields (a case's elements,
 * an element's number), reading the submission into a command, and putting the core's refusal on
 * the field it is about (`response_action: errors`), so nothing is stored until it is right.
 */

export function canLog(actor: Actor): boolean {
  return actor.role === "worker" || actor.role === "supervisor";
}

export function canOpen(actor: Actor): boolean {
  return actor.role === "supervisor" || actor.role === "admin";
}

/**
 * Opens the log form; with `preset`, on that case (a nudge's Log… button), or saying why that case
 * can't be used (no longer theirs, closed) above the case field.
 */
export async function openLogModal(
  deps: SlackDeps,
  client: webApi.WebClient,
  triggerId: string,
  responseUrl?: string,
  preset?: { readonly actor: Actor; readonly caseId: string },
): Promise<void> {
  const found = preset
    ? await logFormFor(viewEnv(deps.ctx, preset.actor, "slack", "private"), preset.caseId)
    : null;
  await client.views.open({
    trigger_id: triggerId,
    view: logModal({
      today: deps.ctx.today(),
      form: found && "form" in found ? found.form : null,
      element: null,
      ...(found && "reply" in found ? { problem: found.reply.text } : {}),
      ...(responseUrl ? { responseUrl } : {}),
    }),
  });
}

export async function openCaseModal(
  deps: SlackDeps,
  client: webApi.WebClient,
  actor: Actor,
  triggerId: string,
  responseUrl?: string,
): Promise<void> {
  const env = viewEnv(deps.ctx, actor, "slack", "private");
  await client.views.open({
    trigger_id: triggerId,
    view: openModal({
      today: deps.ctx.today(),
      services: SERVICE_SLUGS.map((s) => ({ slug: s, title: deps.ctx.org.dashboards[s].title })),
      caseholders: caseholdersFor(env),
      me: actor,
      ...(responseUrl ? { responseUrl } : {}),
    }),
  });
}

/** The field a refusal is about; anything else goes on the first field, where it is seen. */
const LOG_FIELD: Partial<Record<IssueCode, string>> = {
  future_date: LOG.date.block,
  before_opened: LOG.date.block,
  impossible_date: LOG.date.block,
  bad_date: LOG.date.block,
  value_out_of_range: LOG.value.block,
  missing_value: LOG.value.block,
  value_not_allowed: LOG.value.block,
  not_on_dashboard: LOG.element.block,
  already_recorded: LOG.element.block,
};

const OPEN_FIELD: Partial<Record<IssueCode, string>> = {
  bad_age: OPEN.age.block,
  dob_in_future: OPEN.dob.block,
  future_date: OPEN.opened.block,
  unknown_person: OPEN.worker.block,
  not_a_caseholder: OPEN.worker.block,
  outside_team: OPEN.worker.block,
  needs_worker: OPEN.worker.block,
  unknown_service: OPEN.service.block,
  unknown_abuse: OPEN.abuse.block,
};

/** Where to show a refusal: its field when the modal has it, else the modal's first field. */
export function fieldFor(
  map: Partial<Record<IssueCode, string>>,
  first: string,
  reply: Reply,
  present: ReadonlySet<string>,
): string {
  const issue = reply.issue;
  let field = issue ? map[issue.code] : undefined;
  // The open form's "it needs …" problems name the field they are about.
  if (issue?.code === "usage") {
    field = /name/.test(issue.problem)
      ? OPEN.child.block
      : /age|birth/.test(issue.problem)
        ? OPEN.age.block
        : undefined;
  }
  if (field === LOG.value.block && !present.has(field)) field = LOG.element.block;
  return field && present.has(field) ? field : first;
}

function blockIds(view: ViewSubmitAction["view"]): Set<string> {
  return new Set(view.blocks.map((b) => b.block_id).filter((id): id is string => typeof id === "string"));
}

/** What a person may pick in the case field: their cases matching what they typed. */
export async function caseSearch(deps: SlackDeps, actor: Actor, query: string) {
  const env = viewEnv(deps.ctx, actor, "slack", "private");
  const q = query.trim().toLowerCase();
  const compact = q.replace(/[.\s]/g, "");
  const hits = (await loggableCases(env)).filter((c) => {
    if (q === "") return true;
    if (c.id.toLowerCase().includes(q) || c.childName.toLowerCase().includes(q)) return true;
    return compact !== "" && initials(c.childName).replace(/\./g, "").toLowerCase().startsWith(compact);
  });
  return hits.slice(0, 100).map((c) => caseOption(c.id, nameCell(c, env.today, "full")));
}

export function registerModals(app: App, deps: SlackDeps): void {
  const { ctx, identity, log } = deps;

  app.options(LOG.case.action, async ({ ack, body, client }) => {
    const who = await identity.resolve(body.user.id, client, deps.formWaitMs);
    await ack({ options: "actor" in who ? await caseSearch(deps, who.actor, body.value) : [] });
  });

  app.options(OPEN.worker.action, async ({ ack, body, client }) => {
    const who = await identity.resolve(body.user.id, client, deps.formWaitMs);
    if (!("actor" in who)) return ack({ options: [] });
    const q = body.value.trim().toLowerCase();
    const people = caseholdersFor(viewEnv(ctx, who.actor, "slack", "private"))
      .filter((a) => a.name.toLowerCase().includes(q) || a.email.includes(q))
      .slice(0, MAX_LISTED);
    await ack({
      options: people.map((a) => ({
        text: { type: "plain_text", text: clip(`${a.name} (${a.role})`, 75) },
        value: a.email,
      })),
    });
  });

  /** Redraws the log modal after a pick: the case's elements, or the element's number field. */
  async function redraw(
    body: BlockAction,
    client: webApi.WebClient,
    meta: ModalMeta,
    caseId?: string,
    element?: string,
  ) {
    const view = body.view;
    if (!view) return;
    const who = await identity.resolve(body.user.id, client);
    if (!("actor" in who)) return;
    const env = viewEnv(ctx, who.actor, "slack", "private");
    const chosenCase = caseId ?? meta.c;
    const found = chosenCase ? await logFormFor(env, chosenCase) : null;
    const form = found && "form" in found ? found.form : null;
    const el = element ?? (caseId ? undefined : meta.e);
    const next = logModal({
      today: env.today,
      form,
      element: el && isElementKey(el) ? el : null,
      ...(found && "reply" in found ? { problem: found.reply.text } : {}),
      ...(meta.r ? { responseUrl: meta.r } : {}),
    });
    try {
      await client.views.update({ view_id: view.id, hash: view.hash, view: next });
    } catch (e) {
      // hash_conflict: the modal changed meanwhile (a second pick); the later redraw wins.
      log(`views.update of the log modal failed (${reason(e)})`);
    }
  }

  app.action<BlockAction<ExternalSelectAction>>(LOG.case.action, async ({ ack, body, action, client }) => {
    await ack();
    const caseId = action.selected_option?.value;
    if (caseId) await redraw(body, client, readMeta(body.view?.private_metadata), caseId);
  });

  app.action<BlockAction<StaticSelectAction>>(LOG.element.action, async ({ ack, body, action, client }) => {
    await ack();
    await redraw(
      body,
      client,
      readMeta(body.view?.private_metadata),
      undefined,
      action.selected_option.value,
    );
  });

  app.view<ViewSubmitAction>(LOG.callback, async ({ ack, body, view, client }) => {
    const present = blockIds(view);
    const who = await identity.resolve(body.user.id, client, deps.formWaitMs);
    if (!("actor" in who)) {
      await ack({ response_action: "errors", errors: { [LOG.case.block]: clip(who.refusal, 500) } });
      return;
    }
    const meta = readMeta(view.private_metadata);
    const v = view.state.values;
    const caseId = v[LOG.case.block]?.[LOG.case.action]?.selected_option?.value ?? meta.c;
    const element = v[LOG.element.block]?.[LOG.element.action]?.selected_option?.value;
    if (!caseId) {
      await ack({ response_action: "errors", errors: { [LOG.case.block]: "Choose the case." } });
      return;
    }
    if (!element || !isElementKey(element)) {
      const field = present.has(LOG.element.block) ? LOG.element.block : LOG.case.block;
      await ack({ response_action: "errors", errors: { [field]: "Choose what was done." } });
      return;
    }
    const rawValue = v[LOG.value.block]?.[LOG.value.action]?.value?.trim();
    const note = v[LOG.note.block]?.[LOG.note.action]?.value?.trim();
    const reply = await runForSlack(
      ctx,
      {
        actor: who.actor,
        command: {
          kind: "log",
          element: element as ElementKey,
          caseId,
          date: v[LOG.date.block]?.[LOG.date.action]?.selected_date ?? null,
          value: rawValue ? Number(rawValue) : null,
          note: note ? note : null,
        },
        surface: "slack",
        audience: "private",
        idempotencyKey: `slack:view:${view.id}`,
      },
      log,
    );
    if (!reply.ok) {
      const field = fieldFor(LOG_FIELD, LOG.case.block, reply, present);
      await ack({ response_action: "errors", errors: { [field]: clip(reply.text, 500) } });
      return;
    }
    await ack();
    await deliver(
      client,
      body.user.id,
      outgoing(replyMessage(reply, { undoButton: true }), log),
      log,
      meta.r,
    );
    await deps.home.refresh(body.user.id, who.actor, client);
  });

  app.view<ViewSubmitAction>(OPEN.callback, async ({ ack, body, view, client }) => {
    const present = blockIds(view);
    const who = await identity.resolve(body.user.id, client, deps.formWaitMs);
    if (!("actor" in who)) {
      await ack({ response_action: "errors", errors: { [OPEN.caseId.block]: clip(who.refusal, 500) } });
      return;
    }
    const v = view.state.values;
    const get = (f: { block: string; action: string }) => v[f.block]?.[f.action];
    const age = get(OPEN.age)?.value?.trim();
    const service = get(OPEN.service)?.selected_option?.value ?? "";
    if (!isServiceSlug(service)) {
      await ack({
        response_action: "errors",
        errors: { [OPEN.service.block]: "Choose the service dashboard." },
      });
      return;
    }
    const reply = await runForSlack(
      ctx,
      {
        actor: who.actor,
        command: {
          kind: "open",
          caseId: get(OPEN.caseId)?.value?.trim() ?? "",
          childName: (get(OPEN.child)?.value ?? "").trim().replace(/\s+/g, " "),
          age: age ? Number(age) : null,
          dob: get(OPEN.dob)?.selected_date ?? null,
          service,
          abuse: (get(OPEN.abuse)?.selected_options ?? []).map((o) => o.value).filter(isAbuseCode),
          openedOn: get(OPEN.opened)?.selected_date ?? null,
          worker: get(OPEN.worker)?.selected_option?.value ?? null,
        },
        surface: "slack",
        audience: "private",
        idempotencyKey: `slack:view:${view.id}`,
      },
      log,
    );
    if (!reply.ok) {
      const field = fieldFor(OPEN_FIELD, OPEN.caseId.block, reply, present);
      await ack({ response_action: "errors", errors: { [field]: clip(reply.text, 500) } });
      return;
    }
    await ack();
    const meta = readMeta(view.private_metadata);
    await deliver(client, body.user.id, outgoing(replyMessage(reply), log), log, meta.r);
    await deps.home.refresh(body.user.id, who.actor, client);
  });
}
