import type { Actor } from "../domain/access.ts";
import { formatDate, type IsoDate, localDate, localTime } from "../domain/dates.ts";
import type { NameDisplay } from "../domain/names.ts";
import type { RecordReads } from "../store/records.ts";
import type { Ctx } from "./ctx.ts";
import type { Issue } from "./issues.ts";
import { describe } from "./messages.ts";
import type { Reply } from "./reply.ts";

/** Where a command came from: kept with every record and audit line. `api:<client>`: the HTTP API. */
export type Surface = "console" | "cli" | "slack" | "teams" | "digest" | "import" | `api:${string}`;

/**
 * Who will see the reply. `private` (an ephemeral message, a DM, the console) may show children's
 * full names to permitted people; `channel` follows the agency's `channelNames` rule.
 */
export type Audience = "private" | "channel";

/**
 * One invocation of a command: the context plus who asked, from where, and the day it is. (It was
 * called `Env`, which read as `process.env`; it holds nothing from the environment.)
 */
export interface Invocation {
  readonly ctx: Ctx;
  /** the record, as this command may read it */
  readonly reads: RecordReads;
  readonly actor: Actor;
  readonly surface: Surface;
  readonly audience: Audience;
  readonly today: IsoDate;
  /** this instant, ISO, for recorded-at stamps */
  readonly now: string;
  readonly names: NameDisplay;
  fmt(date: IsoDate): string;
  /** an instant as the agency reads it: `26/11/26 10:02` in its time zone */
  fmtInstant(iso: string): string;
}

export function makeInvocation(ctx: Ctx, actor: Actor, surface: Surface, audience: Audience): Invocation {
  const pattern = ctx.org.dates.format;
  return {
    ctx,
    reads: ctx.records.reads,
    actor,
    surface,
    audience,
    today: ctx.today(),
    now: ctx.clock.now().toISOString(),
    names: audience === "private" ? "full" : ctx.org.channelNames,
    fmt: (d) => formatDate(d, pattern),
    fmtInstant: (iso) => {
      const t = new Date(iso);
      const day = formatDate(localDate(t, ctx.org.agency.timeZone), pattern);
      const time = localTime(t, ctx.org.agency.timeZone);
      return `${day} ${time}`;
    },
  };
}

export function refuse(env: Invocation, issue: Issue): Reply {
  return { ok: false, issue, text: describe(issue, env.fmt) };
}

/** "today", "yesterday", or the date: replies say plainly which day was recorded. */
export function dayWords(env: Invocation, date: IsoDate): string {
  const f = env.fmt(date);
  if (date === env.today) return `${f} (today)`;
  return f;
}
