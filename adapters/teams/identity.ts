import type { ChannelAccount } from "@microsoft/agents-activity";
import type { ConnectorClient, TurnContext } from "@microsoft/agents-hosting";
import type { People } from "../../src/commands/directory.ts";
import type { Actor } from "../../src/domain/access.ts";

/**
 * Who a Teams user is in the agency (DESIGN §4): the config's `teamsId` (their Entra object id, or
 * their Teams user id), else their work email, which Teams gives only through a member lookup.
 * The lookup asks the activity's connector, so it is made only when a Microsoft token vouched for
 * that connector (route.ts): anonymous (local mode), a caller could name its own connector and
 * have it answer any email, so there only `teamsId` counts.
 */

export type Identity =
  | { readonly actor: Actor }
  /** `account`: how to name them in a polite refusal (their Teams name and email when known) */
  | { readonly actor: undefined; readonly account: string };

/** Emails found by member lookups, so a person costs one lookup per run of the app, not per message. */
export class EmailCache {
  private readonly map = new Map<string, string>();
  constructor(private readonly max = 5000) {}
  get(key: string): string | undefined {
    return this.map.get(key);
  }
  set(key: string, email: string): void {
    if (this.map.size >= this.max) this.map.clear();
    this.map.set(key, email);
  }
}

export function byTeamsAccount(people: People, who: ChannelAccount | undefined): Actor | undefined {
  if (!who) return undefined;
  return (who.aadObjectId ? people.byTeamsId(who.aadObjectId) : undefined) ?? people.byTeamsId(who.id ?? "");
}

export async function identify(
  people: People,
  turn: TurnContext,
  who: ChannelAccount | undefined,
  emails: EmailCache,
  onLookupError: (status: number | undefined) => void,
  lookups: boolean,
): Promise<Identity> {
  const byId = byTeamsAccount(people, who);
  if (byId) return { actor: byId };
  const name = who?.name?.trim() || "your Teams account";
  if (!who?.id || !lookups) return { actor: undefined, account: name };
  const key = who.aadObjectId ?? who.id;
  let email = emails.get(key);
  if (email === undefined) {
    // A channel thread's id ends in ";messageid=…": members belong to the conversation itself.
    const conversationId = turn.activity.conversation?.id?.split(";")[0];
    const client = turn.turnState.get<ConnectorClient | undefined>(turn.adapter.ConnectorClientKey);
    if (client && conversationId) {
      try {
        // The connector answers a Teams member: {id, aadObjectId, name, email, userPrincipalName, ...}.
        const member = (await client.getConversationMember(who.id, conversationId)) as {
          email?: unknown;
          userPrincipalName?: unknown;
        };
        const found = member.email || member.userPrincipalName;
        email = typeof found === "string" && found.includes("@") ? found.trim().toLowerCase() : undefined;
        if (email) emails.set(key, email);
      } catch (e) {
        onLookupError((e as { status?: number }).status);
      }
    }
  }
  const actor = email ? people.byEmail(email) : undefined;
  if (actor) return { actor };
  return { actor: undefined, account: email ? `${name}, ${email}` : name };
}
