import type { z } from "zod";
import type { Ability, Role } from "../domain/access.ts";
import type { Change } from "../store/records.ts";
import type { Read, ReadContext, Words } from "./grammar.ts";
import type { Invocation } from "./invocation.ts";
import type { Reply } from "./reply.ts";

/**
 * Everything about one command, in one place: the words that name it, its usage and help, who may
 * run it, whether it writes, the schema every route's arguments pass, how typed words are read, and
 * what it does. The registry derives the lexicon, the help, the role table and the dispatcher from
 * these, so adding a command is one new file in `defs/` and one line in `registry.ts`.
 */
export interface CommandDef<K extends string = string, S extends z.ZodType = z.ZodType> {
  readonly kind: K;
  /** the words that name it; the first is the one help shows */
  readonly words: readonly string[];
  /** `/sos snooze <case-id> [days]` */
  readonly usage: string;
  /** one line for the help list */
  readonly about: string;
  /** `/sos help <command>`: more than the usage line, when there is more to say */
  readonly help?: string;
  /** who may run it at all (the roles come from `src/domain/access.ts`) */
  readonly ability: Ability;
  /** what a role that may not run it is told it can't do: "snooze reminders" */
  readonly action: string;
  /** who can, said after the refusal: "only the allocated worker or their supervisor can" */
  readonly who: string;
  /** changes the record: runs through `Records.apply` and honours delivery ids */
  readonly writes: boolean;
  /** the arguments, whichever route they came by */
  readonly schema: S;
  /** typed words to arguments; the schema then checks them as it checks a form's */
  read(words: Words, ctx: ReadContext): Read<z.input<S>>;
  /**
   * Carries it out: a reply (a refusal, or a read), or for a writing command the change to apply.
   * Reads may wait; nothing is written here. Called again when the change meets a conflict.
   */
  run(env: Invocation, args: z.output<S>, registry: Registry): Promise<Reply | Change<Reply>>;
}

/** What the registry derives from the definitions, for the commands that talk about commands (help). */
export interface Registry {
  readonly commands: readonly CommandDef[];
  /** every word that names a command, to its kind */
  readonly words: ReadonlyMap<string, string>;
  byKind(kind: string): CommandDef | undefined;
  /** the commands a role may run, in help order */
  forRole(role: Role): readonly CommandDef[];
}

/** The command a definition describes, as surfaces build it: `{ kind: "snooze", caseId, days }`. */
export type CommandOf<D> =
  D extends CommandDef<infer K, infer S>
    ? { readonly kind: K } & (z.output<S> extends Record<string, never> ? unknown : z.output<S>)
    : never;

/** Types a definition and keeps its literal kind: `export const snooze = defineCommand({ … })`. */
export function defineCommand<K extends string, S extends z.ZodType>(
  def: CommandDef<K, S>,
): CommandDef<K, S> {
  return def;
}
