import type { Org, StaffConfig } from "../config/org.ts";
import type { Actor } from "../domain/access.ts";
import type { StaffRow } from "../store/schema.ts";
import { closest } from "../util/suggest.ts";

/**
 * Staff as the commands need them: current staff as actors (config decides role and teams), and
 * everyone who ever had a row, so history can still name people who have left.
 */
export interface People {
  byEmail(email: string): Actor | undefined;
  bySlackId(id: string): Actor | undefined;
  byTeamsId(id: string): Actor | undefined;
  byId(id: number): Actor | undefined;
  /** any staff row, current or former, for naming authors in history */
  nameOf(id: number | null): string;
  /** a person written in a command: an email, a Slack mention `<@U123|jane>`, or a unique name */
  find(token: string): { actor: Actor } | { actor: undefined; suggestions: string[] };
  all(): readonly Actor[];
}

export function createPeople(org: Org, ids: ReadonlyMap<string, number>, rows: readonly StaffRow[]): People {
  const actors: Actor[] = [];
  const bySlack = new Map<string, Actor>();
  const byTeams = new Map<string, Actor>();
  const byEmail = new Map<string, Actor>();
  const byId = new Map<number, Actor>();
  for (const s of org.staff) {
    const id = ids.get(s.email);
    if (id === undefined) continue;
    const a = toActor(s, id);
    actors.push(a);
    byEmail.set(a.email, a);
    byId.set(id, a);
    if (s.slackId) bySlack.set(s.slackId, a);
    if (s.teamsId) byTeams.set(s.teamsId.toLowerCase(), a);
  }
  const names = new Map(rows.map((r) => [r.id, r.name]));

  return {
    byEmail: (email) => byEmail.get(email.trim().toLowerCase()),
    bySlackId: (id) => bySlack.get(id),
    byTeamsId: (id) => byTeams.get(id.toLowerCase()),
    byId: (id) => byId.get(id),
    nameOf: (id) => (id === null ? "the system" : (byId.get(id)?.name ?? names.get(id) ?? `staff #${id}`)),
    all: () => actors,
    find(token) {
      const t = token.trim().replace(/^mailto:/i, "");
      const mention = /^<@([A-Z0-9]+)(?:\|[^>]*)?>$/i.exec(t);
      if (mention) {
        const a = bySlack.get(mention[1]!);
        return a ? { actor: a } : { actor: undefined, suggestions: [] };
      }
      const email = byEmail.get(t.toLowerCase());
      if (email) return { actor: email };
      const word = t.replace(/^@/, "").toLowerCase();
      const named = actors.filter(
        (a) =>
          a.name.toLowerCase() === word ||
          a.email.split("@")[0] === word ||
          a.name.toLowerCase().split(/\s+/)[0] === word,
      );
      if (named.length === 1) return { actor: named[0]! };
      if (named.length > 1) return { actor: undefined, suggestions: named.map((a) => a.email) };
      return {
        actor: undefined,
        suggestions: closest(
          t.toLowerCase(),
          actors.map((a) => a.email),
          2,
        ),
      };
    },
  };
}

function toActor(s: StaffConfig, staffId: number): Actor {
  return { staffId, email: s.email, name: s.name, role: s.role, teams: s.teams };
}
