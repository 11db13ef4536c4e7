import { z } from "zod";

/**
 * The least a signed Slack request must be before Bolt sees it. Bolt assumes its shape: a signed
 * `null` body or a button press with no user made it throw (a 500, and several log lines for one
 * request). What each kind must carry, checked with zod; the handlers check the rest.
 */

const user = z.object({ id: z.string().min(1) });

/** Interactivity (buttons, forms, menus, shortcuts): a JSON `payload` field; every kind names its user. */
const interaction = z.object({ type: z.string().min(1), user });

/** A slash command, as a form. */
const command = z.object({ command: z.string().min(1), user_id: z.string().min(1) });

/** The Events API: a URL check, a rate-limit notice, or a callback carrying one event. */
const eventsApi = z
  .object({ type: z.string().min(1), event: z.object({ type: z.string().min(1) }).optional() })
  .refine((b) => b.type !== "event_callback" || b.event !== undefined);

function json(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Why a signed body is not a request Slack sends, or null when it is one. */
export function payloadProblem(contentType: string, body: string): string | null {
  if (contentType === "application/json") {
    return eventsApi.safeParse(json(body)).success ? null : "the body is not a Slack event";
  }
  if (contentType !== "application/x-www-form-urlencoded")
    return "the body is neither a form nor JSON, which is all Slack sends";
  const form = new URLSearchParams(body);
  const payload = form.get("payload");
  if (payload !== null) {
    return interaction.safeParse(json(payload)).success
      ? null
      : "the payload is not an interaction from a Slack user";
  }
  // Slack's periodic certificate check carries nothing else; Bolt answers it.
  if (form.get("ssl_check") === "1") return null;
  return command.safeParse(Object.fromEntries(form)).success
    ? null
    : "the form is not a slash command from a Slack user";
}
