import type { Activity, ConversationReference } from "@microsoft/agents-activity";
import { z } from "zod";
import type { TeamsConversationRow } from "../../src/store/schema.ts";

/**
 * Where the app is installed (a personal chat, a channel, a group chat), kept in the database with
 * the conversation reference a later post needs: the region's service URL, the tenant, the bot.
 */

export type ConversationKind = TeamsConversationRow["kind"];

export interface Place {
  readonly id: string;
  readonly kind: ConversationKind;
  readonly teamId: string | null;
  readonly userId: string | null;
  readonly reference: ConversationReference;
}

interface ChannelData {
  readonly team?: { readonly id?: string };
  readonly channel?: { readonly id?: string };
}

export function kindOf(activity: Activity): ConversationKind {
  const type = activity.conversation?.conversationType;
  if (type === "personal" || type === "channel" || type === "groupChat") return type;
  return activity.conversation?.isGroup ? "groupChat" : "personal";
}

/**
 * The place an activity came from, to post to later. A channel is kept by its own id, not the id of
 * the thread the activity was in, so later posts start new threads; and no person is kept with it.
 */
export function placeOf(activity: Activity): Place | null {
  const conversation = activity.conversation;
  if (!conversation?.id || !activity.serviceUrl) return null;
  const kind = kindOf(activity);
  const data = (activity.channelData ?? {}) as ChannelData;
  const { activityId: _drop, ...reference } = activity.getConversationReference();
  if (kind !== "channel") {
    return {
      id: conversation.id,
      kind,
      teamId: null,
      userId: kind === "personal" ? (activity.from?.id ?? null) : null,
      reference: kind === "personal" ? reference : withoutUser(reference),
    };
  }
  const id = data.channel?.id ?? conversation.id.split(";")[0]!;
  return {
    id,
    kind,
    teamId: data.team?.id ?? null,
    userId: null,
    reference: { ...withoutUser(reference), conversation: { ...reference.conversation, id } },
  };
}

function withoutUser(ref: ConversationReference): ConversationReference {
  const { user: _drop, ...rest } = ref;
  return rest;
}

export interface Installation {
  readonly id: string;
  readonly kind: ConversationKind;
  readonly teamId: string | null;
  readonly staffId: number | null;
  readonly reference: ConversationReference;
  readonly removedAt: string | null;
}

/** A reference as we stored it, read back: checked, not cast, since the column is only JSON. */
const StoredReferenceSchema = z.looseObject({
  channelId: z.string(),
  conversation: z.looseObject({ id: z.string() }),
  serviceUrl: z.string().optional(),
});

/** A stored row, as either store returns it, read back as an installation. */
export function toInstallation(r: TeamsConversationRow): Installation {
  return {
    id: r.id,
    kind: r.kind,
    teamId: r.teamId,
    staffId: r.staffId,
    reference: StoredReferenceSchema.parse(r.reference),
    removedAt: r.removedAt,
  };
}

export interface RememberHow {
  readonly installing?: boolean;
}

/**
 * Where the app is installed, on whichever store the app runs: SQLite (installations-sqlite.ts)
 * or PostgreSQL (installations-pg.ts), chosen where the Teams surface is made. Async, since the
 * PostgreSQL one is; each call is one statement, so each write is its own transaction.
 */
export interface Installations {
  /**
   * Records (or refreshes) a place the app is in. Writes only when something changed, so calling
   * it on every message costs a read. A known staff member is kept when this turn knows none.
   * `installing`: the activity says the app was just added there; the stores treat it as any
   * other, and installations-cache.ts asks the store then whatever it remembers.
   */
  remember(place: Place, staffId: number | null, at: string, how?: RememberHow): Promise<void>;
  /** The app was removed from there: the row stays, marked, so a post can say so. */
  forget(id: string, at: string): Promise<void>;
  get(id: string): Promise<Installation | undefined>;
  /** The staff member's personal chat with the app, if they have one. */
  personal(staffId: number): Promise<Installation | undefined>;
  /** Some channel the app is in: its service URL and tenant serve for a channel not yet seen. */
  anyChannel(): Promise<Installation | undefined>;
  all(): Promise<Installation[]>;
}
