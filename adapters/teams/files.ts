import { Activity, ActivityTypes } from "@microsoft/agents-activity";
import { MessageFactory, type TurnContext } from "@microsoft/agents-hosting";
import { z } from "zod";
import type { Reply } from "../../src/commands/reply.ts";
import { parseFor, runCommand } from "../../src/commands/run.ts";
import { kindOf } from "./conversations.ts";
import { noticeCard } from "./render/adaptive-card.ts";
import { plain } from "./render/adaptive-card-kit.ts";
import { type BotDeps, cardMessage, errorName, whoIs } from "./turn.ts";

/**
 * `sos export csv` in Teams. A bot can hand someone a file only in their personal chat, through
 * Teams' file consent card: the person presses Allow, Teams gives the bot an upload URL in their
 * OneDrive ("Microsoft Teams Chat Files"), the bot uploads the file there and sends a card that
 * opens it. No tenant set-up is needed beyond `supportsFiles` in the app manifest. The CSV is not
 * kept between the two steps: Allow runs the export again, as that person, and uploads the result,
 * so a consent card carries no children's data and a person who lost access gets nothing.
 * In a channel or group chat the bot says where to ask instead.
 */

export const FILE_CONSENT = "application/vnd.microsoft.teams.card.file.consent";
export const FILE_INFO = "application/vnd.microsoft.teams.card.file.info";
export const FILE_CONSENT_INVOKE = "fileConsent/invoke";

/** What the consent card carries back: the command typed (run again on Allow) and the card's nonce. */
interface ConsentContext {
  readonly command: string;
  readonly nonce: string;
}

export const IN_PERSONAL_ONLY =
  "Teams lets an app send a file only in your personal chat with it. Type the same command there (for example **sos export csv**) and allow the file: it is saved to your OneDrive.";

/** The answer to an export: a file consent card in a personal chat, else where to ask. */
export function exportActivity(
  turn: TurnContext,
  reply: Reply & { readonly file: NonNullable<Reply["file"]> },
  command: string,
  nonce: string,
): Activity {
  if (kindOf(turn.activity) !== "personal")
    return cardMessage(noticeCard(`${reply.text}\n\n${IN_PERSONAL_ONLY}`));
  const context: ConsentContext = { command, nonce };
  const message = MessageFactory.text(`${plain(reply.text)} Allow it below to save it to your OneDrive.`);
  message.attachments = [
    {
      contentType: FILE_CONSENT,
      name: reply.file.filename,
      content: {
        description: plain(reply.text),
        sizeInBytes: Buffer.byteLength(reply.file.content),
        acceptContext: context,
        declineContext: context,
      },
    },
  ];
  return message;
}

interface UploadInfo {
  readonly name: string;
  readonly uploadUrl: string;
  readonly contentUrl: string;
  readonly uniqueId: string;
  readonly fileType: string;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

const UploadInfoSchema = z.object({
  name: z.string(),
  uploadUrl: z.string(),
  contentUrl: z.string(),
  uniqueId: z.string(),
  fileType: z.string(),
});

function uploadInfoOf(x: unknown): UploadInfo | null {
  const r = UploadInfoSchema.safeParse(x);
  return r.success ? r.data : null;
}

/** Puts the bytes in the upload session Teams opened in the person's OneDrive (one request). */
async function upload(url: string, content: Buffer): Promise<number> {
  const res = await fetch(url, {
    method: "PUT",
    headers: {
      "content-length": String(content.length),
      "content-range": `bytes 0-${content.length - 1}/${content.length}`,
    },
    body: new Uint8Array(content),
    signal: AbortSignal.timeout(30_000),
  });
  return res.status;
}

/**
 * The person pressed Allow or Decline on a file consent card. Allow: the export runs again as
 * them; the file goes to the upload URL (which must be https when tokens are checked, as Teams
 * gives it); a file card that opens it follows. Always answered 200, as Teams expects.
 */
export async function onFileConsent(
  deps: BotDeps,
  turn: TurnContext,
  opts: { secure: boolean },
): Promise<void> {
  const value = isRecord(turn.activity.value) ? turn.activity.value : {};
  const context = isRecord(value.context) ? value.context : {};
  const command = typeof context.command === "string" ? context.command : "";
  const say = (text: string, tone: "plain" | "problem" = "plain") =>
    turn.sendActivity(cardMessage(noticeCard(text, tone)));
  try {
    if (value.action !== "accept") {
      await say("All right: the file was not sent.");
      return;
    }
    const info = uploadInfoOf(value.uploadInfo);
    const parsed = parseFor(deps.ctx, command);
    const who = await whoIs(deps, turn);
    if (!info || !parsed.ok || parsed.command.kind !== "export" || !who.actor) {
      await say("That file can't be sent any more. Type the export command again.", "problem");
      return;
    }
    if (opts.secure && !info.uploadUrl.startsWith("https://")) {
      deps.log("teams: a file upload URL that is not https was refused");
      await say("The file could not be saved: Teams gave an address that is not secure.", "problem");
      return;
    }
    const reply = await runCommand(deps.ctx, {
      actor: who.actor,
      command: parsed.command,
      surface: "teams",
      audience: "private",
    });
    if (!reply.ok || !reply.file) {
      await say(reply.text, "problem");
      return;
    }
    const status = await upload(info.uploadUrl, Buffer.from(reply.file.content, "utf8"));
    if (status < 200 || status >= 300) {
      deps.log(`teams: a file upload was answered HTTP ${status}`);
      await say(
        `The file could not be saved to your OneDrive (HTTP ${status}). Nothing else changed; type the export command again to retry.`,
        "problem",
      );
      return;
    }
    const card = MessageFactory.text(`Saved ${info.name} to your OneDrive.`);
    card.attachments = [
      {
        contentType: FILE_INFO,
        contentUrl: info.contentUrl,
        name: info.name,
        content: { uniqueId: info.uniqueId, fileType: info.fileType },
      },
    ];
    await turn.sendActivity(card);
  } catch (e) {
    deps.log(`teams: file consent failed: ${errorName(e)}`);
    await say(
      "The file could not be saved just now. Nothing else changed; please try again.",
      "problem",
    ).catch(() => undefined);
  } finally {
    await turn.sendActivity(
      Activity.fromObject({ type: ActivityTypes.InvokeResponse, value: { status: 200 } }),
    );
  }
}
