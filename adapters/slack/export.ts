import type { webApi } from "@slack/bolt";
import type { Reply } from "../../src/commands/reply.ts";
import { reason, type SlackLog } from "./log.ts";
import { openDm, uploadFile } from "./post.ts";
import { escapeMrkdwn } from "./render/blockkit.ts";

/**
 * `/sos export csv`: the file goes to the person in their direct message with the app, wherever
 * they typed the command. Slack cannot show a file to one person only in a channel (there are no
 * ephemeral files), and a file in the channel would show everyone the children's full names. The
 * answer, shown privately where they typed, says where the file went, or that it did not go.
 */
export async function sendExport(
  client: webApi.WebClient,
  userId: string,
  text: string,
  file: NonNullable<Reply["file"]>,
  log: SlackLog,
): Promise<string> {
  const said = escapeMrkdwn(text);
  try {
    const dm = await openDm(client, userId);
    await uploadFile(client, dm, {
      filename: file.filename,
      content: file.content,
      title: file.filename,
      comment: text,
    });
    return `${said}\n:incoming_envelope: I've sent \`${escapeMrkdwn(file.filename)}\` to you in a direct message from the app (Slack can't show a file privately in a channel).`;
  } catch (e) {
    const why = reason(e);
    log(`an export could not be sent (${why})`);
    return `:warning: I couldn't send you the file (Slack said ${escapeMrkdwn(why)}). Nothing was changed; please try again in a minute, or tell your admin if it keeps happening.`;
  }
}
