import type { Mount } from "../server/http.ts";
import type { Ctx } from "./context.ts";

/**
 * Which chat platforms to serve, chosen by environment variables. With none set, the app runs in
 * local mode (console chat and the HTTP server only).
 */
export interface Surfaces {
  readonly mounts: Mount[];
  /** true when no Slack or Teams credentials are set */
  readonly local: boolean;
  /** set-up problems to print (a platform half-configured, say) */
  readonly warnings: string[];
}

export function surfacesFromEnv(_ctx: Ctx, _env: NodeJS.ProcessEnv): Surfaces {
  return { mounts: [], local: true, warnings: [] };
}
