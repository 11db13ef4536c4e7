import type { JobName } from "../commands/offload.ts";

/** What the main thread sends a reader: a config (once per version), a job, or stop. */
export type ToReader =
  | {
      readonly type: "org";
      readonly version: number;
      readonly org: unknown;
      /** configs this thread may drop: the main thread sends one again if a job needs it */
      readonly forget: readonly number[];
    }
  | {
      readonly type: "job";
      readonly id: number;
      readonly job: JobName;
      readonly args: unknown;
      /** the config to answer under (sent before, as `org`) */
      readonly version: number;
      /** the main thread's "now" when it asked, ISO */
      readonly now: string;
    }
  | { readonly type: "stop" };

/** A job's answer, or what it threw: its kind, code and stack kept, so logs say what failed and where. */
export type ToMain =
  | { readonly id: number; readonly ok: true; readonly result: unknown }
  | {
      readonly id: number;
      readonly ok: false;
      readonly error: {
        readonly name: string;
        readonly message: string;
        readonly stack?: string;
        readonly code?: string;
      };
    };
