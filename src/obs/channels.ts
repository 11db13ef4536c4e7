import { channel } from "node:diagnostics_channel";

/**
 * What the core announces for whoever watches (the metrics of `sos start`), through Node's own
 * diagnostics channels: the core imports nothing of the metrics library, and publishing with no
 * subscriber costs nothing, so a CLI command pays for none of it.
 */

/** One command carried out, from any surface. Never its text: ids of kinds only. */
export interface CommandSeen {
  /** the command's kind (`log`, `dashboard`), or `unread` when the text could not be read */
  readonly kind: string;
  readonly surface: string;
  /** `ok`; `refused` (bad input, a role that may not, a check that failed); `repeated`; `error` */
  readonly outcome: "ok" | "refused" | "repeated" | "error";
}

/** One platform's (or one team's nudges') end of a digest run. */
export interface DigestSeen {
  readonly kind: string;
  readonly state: string;
}

export const commandChannel = channel("sos-dashboards:command");
export const digestChannel = channel("sos-dashboards:digest-run");

export function publishCommand(seen: CommandSeen): void {
  if (commandChannel.hasSubscribers) commandChannel.publish(seen);
}

export function publishDigest(seen: DigestSeen): void {
  if (digestChannel.hasSubscribers) digestChannel.publish(seen);
}
