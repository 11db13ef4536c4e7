import type { Activity, ConversationReference } from "@microsoft/agents-activity";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import type { Ctx } from "../../src/app/context.ts";
import { type TeamsConversationRow, teamsConversations as t } from "../../src/store/schema.ts";

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

export function installations(ctx: Ctx) {
  const db = ctx.store.db;
  const toInstallation = (r: TeamsConversationRow): Installation => ({
    id: r.id,
    kind: r.kind,
    teamId: r.teamId,
    staffId: r.staffId,
    reference: StoredReferenceSchema.parse(r.reference),
    removedAt: r.removedAt,
  });
  return {
    /**
     * Records (or refreshes) a place the app is in. Writes only when something changed, so calling
     * it on every message costs a read. A known staff member is kept when this turn knows none.
     */
    remember(place: Place, staffId: number | null, at: string): void {
      const { reference } = place;
      db.insert(t)
        .values({ ...place, reference, staffId, installedAt: at, updatedAt: at })
        .onConflictDoUpdate({
          target: t.id,
          set: {
            kind: place.kind,
            teamId: sql`coalesce(excluded.team_id, ${t.teamId})`,
            userId: sql`coalesce(excluded.user_id, ${t.userId})`,
            staffId: sql`coalesce(excluded.staff_id, ${t.staffId})`,
            reference,
            updatedAt: at,
            removedAt: null,
          },
          setWhere: sql`${t.reference} IS NOT excluded.reference OR ${t.kind} IS NOT excluded.kind
            OR ${t.removedAt} IS NOT NULL
            OR (excluded.staff_id IS NOT NULL AND ${t.staffId} IS NOT excluded.staff_id)
            OR (excluded.team_id IS NOT NULL AND ${t.teamId} IS NOT excluded.team_id)`,
        })
        .run();
    },

    /** The app was removed from there: the row stays, marked, so a post can say so. */
    forget(id: string, at: string): void {
      db.update(t)
        .set({ removedAt: at, updatedAt: at })
        .where(and(eq(t.id, id), isNull(t.removedAt)))
        .run();
    },

    get(id: string): Installation | undefined {
      const r = db.select().from(t).where(eq(t.id, id)).get();
      return r && toInstallation(r);
    },

    /** The staff member's personal chat with the app, if they have one. */
    personal(staffId: number): Installation | undefined {
      const r = db
        .select()
        .from(t)
        .where(and(eq(t.kind, "personal"), eq(t.staffId, staffId), isNull(t.removedAt)))
        .orderBy(desc(t.updatedAt))
        .get();
      return r && toInstallation(r);
    },

    /** Some channel the app is in: its service URL and tenant serve for a channel not yet seen. */
    anyChannel(): Installation | undefined {
      const r = db
        .select()
        .from(t)
        .where(and(eq(t.kind, "channel"), isNull(t.removedAt)))
        .orderBy(desc(t.updatedAt))
        .get();
      return r && toInstallation(r);
    },

    all(): Installation[] {
      return db.select().from(t).orderBy(t.installedAt).all().map(toInstallation);
    },
  };
}

export type Installations = ReturnType<typeof installations>;
