import type { Actor } from "../domain/access.ts";
import type { DigestView } from "./views.ts";

/** A rendered picture to go with a digest: the whiteboard heatmap. */
export interface Picture {
  readonly png: Buffer;
  readonly filename: string;
  /** alt text: what the picture shows, without children's names */
  readonly title: string;
  readonly width: number;
  readonly height: number;
}

/** What the runner hands a platform: the view, its plain-text form, and for team digests a picture. */
export interface DigestMessage {
  readonly view: DigestView;
  readonly text: string;
  readonly picture?: Picture;
  /** the same picture, small enough to sit inside a card (Teams) */
  readonly compactPicture?: Picture;
}

/**
 * Why a send did not go out, or may not have. `retryable`: trying again later can help (network,
 * rate limit, the platform down); not when someone has to fix something first (the app not in the
 * channel). `mayHaveArrived`: no answer came (a timeout, the connection dropped mid-request), so the
 * platform may have taken it: it is sent again at most once, saying it may repeat. An answer with an
 * error, or a connection never made, means it did not arrive.
 */
export class PostError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly mayHaveArrived = false,
  ) {
    super(message);
    this.name = "PostError";
  }
}

export type DigestScope = { readonly kind: "team"; readonly teamId: string } | { readonly kind: "agency" };

/** Where a digest goes: a channel (later parts in the first one's thread), or a person's chat. */
export type Destination =
  | { readonly kind: "channel"; readonly channel: string }
  | { readonly kind: "person"; readonly actor: Actor; readonly address: string };

export type PartKind = "message" | "file";

export interface SendOptions {
  /** the first part's platform reference, which the others thread under in a channel */
  readonly thread: string | null;
  /**
   * This part was sent before and the platform did not confirm it: when, as the agency reads the
   * time. The part then says it may repeat that one.
   */
  readonly repeatOf: string | null;
}

/** A digest laid out for one platform and destination: its parts, and how to send each one. */
export interface PreparedDigest {
  /** every part in posting order: messages, and an upload (Slack's picture) */
  readonly kinds: readonly PartKind[];
  /** sends one part; resolves to the platform's reference for it, or throws `PostError` */
  send(index: number, opts: SendOptions): Promise<string>;
}

/**
 * One chat platform as the digests see it, built by `digestPoster` (src/digest/deliver.ts) from a
 * platform's two small parts: naming a channel, sending one part. The runner sends the parts one by
 * one and records each in the ledger.
 */
export interface DigestPoster {
  readonly platform: "slack" | "teams";
  /** the channel a team's digest, or the agency summary, goes to on this platform (from config) */
  channelFor(scope: DigestScope): string | undefined;
  /**
   * Where a person's direct messages go; null when they cannot be reached on this platform (no
   * account found, or the app not added to their personal chat): recorded as skipped, not failed.
   */
  addressOf(actor: Actor): Promise<string | null>;
  prepare(message: DigestMessage, to: Destination): PreparedDigest;
}
