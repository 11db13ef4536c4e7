import type { Actor } from "../domain/access.ts";
import { type DigestDoc, digestParts } from "./parts.ts";
import type {
  Destination,
  DigestMessage,
  DigestPoster,
  DigestScope,
  PartKind,
  Picture,
  PreparedDigest,
} from "./post.ts";
import { mayRepeatLine, restNote } from "./words.ts";

/**
 * The posting step both platforms share: lay the digest out, put the line saying what is in the
 * thread on the first message, put Slack's picture after it, and add "this may repeat" to a part
 * sent a second time. A platform gives only its layout and two small parts: naming a channel, and
 * sending one part.
 */

/** One part as the platform sends it: one of its messages, or a picture to upload (with a note). */
export type KitPart<M> =
  | { readonly kind: "message"; readonly message: M }
  | { readonly kind: "file"; readonly picture: Picture; readonly note: string | null };

export interface PlatformKit<M> {
  readonly platform: "slack" | "teams";
  /** as the platform's name reads in a sentence */
  readonly name: "Slack" | "Teams";
  /** name a channel: where a team's digest or the agency summary goes, from the config */
  channelFor(scope: DigestScope): string | undefined;
  /** a person's address on this platform, or null when they cannot be reached there */
  addressOf(actor: Actor): Promise<string | null>;
  /** the digest's parts as this platform's messages, in order */
  layout(doc: DigestDoc, message: DigestMessage, to: Destination): M[];
  /** Slack posts the whiteboard picture as a file of its own; Teams draws it inside the first card */
  readonly pictureFile: boolean;
  /** how the thread is named in the line on the first message: where, and what the parts are called */
  readonly thread: { readonly place: string; readonly unit: readonly [one: string, many: string] };
  /** the message with one more line at its foot: the note on what is in the thread, or "may repeat" */
  withLine(m: M, line: string, tone: "thread" | "repeat"): M;
  /** send one part: `thread` is the first part's reference for the parts after it in a channel */
  send(
    to: Destination,
    part: KitPart<M>,
    opts: { readonly thread: string | null; readonly index: number },
  ): Promise<string>;
}

export function digestPoster<M>(kit: PlatformKit<M>): DigestPoster {
  return {
    platform: kit.platform,
    channelFor: (scope) => kit.channelFor(scope),
    addressOf: (actor) => kit.addressOf(actor),
    prepare(message, to): PreparedDigest {
      const doc = digestParts(message.view);
      const messages = kit.layout(doc, message, to);
      const threaded = to.kind === "channel";
      const picture = doc.picture && kit.pictureFile && threaded ? message.picture : undefined;
      const note = threaded
        ? restNote(message.view, { more: messages.length - 1, picture: picture !== undefined, ...kit.thread })
        : null;
      const [first, ...rest] = messages;
      if (first === undefined) throw new Error("a digest laid out as no messages");
      const parts: KitPart<M>[] = [
        { kind: "message", message: note === null ? first : kit.withLine(first, note, "thread") },
        ...(picture ? [{ kind: "file" as const, picture, note: null }] : []),
        ...rest.map((m) => ({ kind: "message" as const, message: m })),
      ];
      return {
        kinds: parts.map((p): PartKind => p.kind),
        send(index, opts) {
          const part = parts[index];
          if (part === undefined) throw new Error(`no part ${index} of ${parts.length}`);
          const line =
            opts.repeatOf === null
              ? null
              : mayRepeatLine({
                  what: part.kind === "file" ? "picture" : "message",
                  platform: kit.name,
                  sentAt: opts.repeatOf,
                });
          const sent: KitPart<M> =
            line === null
              ? part
              : part.kind === "message"
                ? { kind: "message", message: kit.withLine(part.message, line, "repeat") }
                : { ...part, note: line };
          return kit.send(to, sent, { thread: threaded && index > 0 ? opts.thread : null, index });
        },
      };
    },
  };
}
