import type { Destination, DigestMessage, DigestPoster } from "../../src/digest/post.ts";
import type { Actor } from "../../src/domain/access.ts";

/**
 * Sends every part of a digest in order, as the runner does but with no ledger (the first part's
 * reference threads the others): for testing a platform's layout and sending on their own.
 * Resolves to the first part's reference.
 */
export async function postAll(
  poster: DigestPoster,
  to: Destination,
  message: DigestMessage,
): Promise<string> {
  const prepared = poster.prepare(message, to);
  let thread: string | null = null;
  for (let i = 0; i < prepared.kinds.length; i++) {
    const ref = await prepared.send(i, { thread, repeatOf: null });
    if (i === 0) thread = ref;
  }
  return thread ?? "";
}

export function toChannel(poster: DigestPoster, channel: string, message: DigestMessage): Promise<string> {
  return postAll(poster, { kind: "channel", channel }, message);
}

/** A person's digest; null when they cannot be reached on the platform. */
export async function toPerson(
  poster: DigestPoster,
  actor: Actor,
  message: DigestMessage,
): Promise<string | null> {
  const address = await poster.addressOf(actor);
  return address === null ? null : postAll(poster, { kind: "person", actor, address }, message);
}
