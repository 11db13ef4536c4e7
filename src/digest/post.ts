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
 * Why a post did not go out. `notInstalled`: the app is not in that channel or chat (Teams), or the
 * person is not on that platform; retrying will not help until someone adds it. Otherwise a failure
 * worth retrying (network, rate limit, the platform down).
 */
export class PostError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = "PostError";
  }
}

/**
 * One chat platform as the digests see it. Implementations live with their adapters
 * (adapters/slack/digest.ts, adapters/teams/digest.ts) and render the view their own way.
 * Each call resolves to a reference for the ledger (message ts, conversation id), or throws PostError.
 */
export interface DigestPoster {
  readonly platform: "slack" | "teams";
  /** the channel a team's digest, or the agency summary, goes to on this platform (from config) */
  channelFor(scope: { kind: "team"; teamId: string } | { kind: "agency" }): string | undefined;
  toChannel(channelId: string, message: DigestMessage): Promise<string>;
  /**
   * A direct message; resolves to null when the person cannot be reached on this platform (no
   * account found, or the app not added to their personal chat): recorded as skipped, not failed.
   */
  toPerson(actor: Actor, message: DigestMessage): Promise<string | null>;
}
