import type { Ctx } from "../commands/ctx.ts";
import { makeInvocation } from "../commands/invocation.ts";
import type { JobName, OffloadJobs } from "../commands/offload.ts";
import { runCommand } from "../commands/run.ts";
import { homeData, OPERATOR } from "../commands/views.ts";
import { agencySummary } from "../digest/agency-summary.ts";
import { planNudges } from "../digest/nudges.ts";
import { teamDigest } from "../digest/team-digest.ts";
import { whiteboardModel } from "../digest/whiteboard.ts";
import { whiteboardSvg } from "../pictures/whiteboard-svg.ts";

/**
 * What a reader thread does for each job (`OffloadJobs`), over its own read-only connection. The
 * same functions the main thread would call: a job's answer is what it would have been there.
 */
export const JOBS: {
  readonly [K in JobName]: (ctx: Ctx, args: OffloadJobs[K]["args"]) => Promise<OffloadJobs[K]["result"]>;
} = {
  command: (ctx, input) => runCommand(ctx, input),
  home: (ctx, { actor }) => homeData(ctx, actor),
  teamDigest: async (ctx, { teamId, ...req }) =>
    teamDigest(makeInvocation(ctx, OPERATOR, "digest", "channel"), teamId, req),
  agencySummary: async (ctx, req) => agencySummary(makeInvocation(ctx, OPERATOR, "digest", "channel"), req),
  nudges: async (ctx, { teamId, day }) => planNudges(ctx, teamId, day),
  whiteboard: async (ctx, { teamId }) => {
    const model = await whiteboardModel(makeInvocation(ctx, OPERATOR, "digest", "channel"), teamId);
    return {
      model,
      full: whiteboardSvg(model, { size: "full" }),
      compact: whiteboardSvg(model, { size: "compact" }),
    };
  },
};
