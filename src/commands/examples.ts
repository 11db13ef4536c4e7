import type { Invocation } from "./invocation.ts";
import type { Issue } from "./issues.ts";

/**
 * The case id in an example a reply makes up ("Try `/sos scale <case id> 6`"): reading a command
 * looks nothing up, so it writes this, and the reply puts one of the person's own open cases in its
 * place (`withRealCase`). A made-up number such as 12345 may be no case of the agency, or someone
 * else's; the person's own case is one they can type. Usage lines write `<case-id>` (with a dash)
 * and are never filled in: `/sos open <case-id> …` wants a new id.
 */
export const EXAMPLE_CASE = "<case id>";

/**
 * One of the person's own open cases, for examples: a worker's or supervisor's own first (newest),
 * else for a supervisor the first of their teams'. Null for people who record nothing (managers,
 * admins) and for anyone with no open case: the example then keeps `<case id>`.
 */
export async function exampleCaseId(env: Invocation): Promise<string | null> {
  const { actor } = env;
  if (actor.role !== "worker" && actor.role !== "supervisor") return null;
  const own = await env.reads.openCases({ workerId: actor.staffId });
  if (own[0]) return own[0].id;
  if (actor.role !== "supervisor" || actor.teams.length === 0) return null;
  return (await env.reads.openCases({ teamIds: actor.teams }))[0]?.id ?? null;
}

/** `text` with the made-up case id replaced by one of the person's own, when they have one. */
export async function withRealCase(env: Invocation, text: string): Promise<string> {
  if (!text.includes(EXAMPLE_CASE)) return text;
  const id = await exampleCaseId(env);
  return id === null ? text : text.replaceAll(EXAMPLE_CASE, id);
}

/** An issue whose example names a made-up case, with the person's own case in it instead. */
export async function withRealExample(env: Invocation, issue: Issue): Promise<Issue> {
  if (!("example" in issue) || !issue.example.includes(EXAMPLE_CASE)) return issue;
  return Object.assign({}, issue, { example: await withRealCase(env, issue.example) });
}
