import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";

export interface RenderedPng {
  readonly png: Buffer;
  readonly width: number;
  readonly height: number;
}

export interface PngRenderer {
  render(svg: string, opts?: { palette?: number }): Promise<RenderedPng>;
  /** the renderer process's peak memory so far (MB), for the benchmark; 0 before the first render */
  peakRssMb(): number;
  close(): Promise<void>;
}

type Reply = {
  id: number;
  error?: string;
  png?: Uint8Array;
  width?: number;
  height?: number;
  rssMb?: number;
};

// This module runs as TypeScript (tests, tsx) or compiled to `dist/` (`sos`, `npm start`); its child
// runs the same way as it does.
const COMPILED = import.meta.url.endsWith(".js");
const CHILD = fileURLToPath(new URL(COMPILED ? "./png-child.js" : "./png-child.ts", import.meta.url));
// As TypeScript the child needs tsx, loaded from this package wherever the process was started from;
// resolved only then, because tsx is a dev dependency and not installed in production.
const childExecArgv = (): string[] => (COMPILED ? [] : ["--import", import.meta.resolve("tsx")]);

/**
 * Renders SVG to PNG in a separate process. resvg's pixel buffers live outside the JavaScript heap:
 * the garbage collector does not see them, and what it frees the C allocator keeps. Measured in one
 * process, 20 renders of a 400-case whiteboard (848 × 6,608 px) took the process from 150 MB to
 * 1.3 GB. In a child that exits after `idleMs` without work, the server stays small; a Monday's
 * digests pay the child's start-up (~0.4 s) once.
 */
export function isolatedRenderer(opts: { idleMs?: number } = {}): PngRenderer {
  const idleMs = opts.idleMs ?? 30_000;
  let child: ChildProcess | undefined;
  let timer: NodeJS.Timeout | undefined;
  let next = 1;
  let peak = 0;
  const pending = new Map<number, { resolve: (r: RenderedPng) => void; reject: (e: Error) => void }>();

  const stop = () => {
    const c = child;
    child = undefined;
    c?.disconnect();
  };
  const idle = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      if (pending.size === 0) stop();
    }, idleMs);
    timer.unref();
  };
  const start = (): ChildProcess => {
    const c = fork(CHILD, [], {
      execArgv: childExecArgv(),
      serialization: "advanced",
      stdio: ["ignore", "ignore", "inherit", "ipc"],
    });
    c.on("message", (m: Reply) => {
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      if (m.rssMb) peak = Math.max(peak, m.rssMb);
      if (m.error || !m.png) p.reject(new Error(`rendering the picture failed: ${m.error ?? "no image"}`));
      else p.resolve({ png: Buffer.from(m.png), width: m.width!, height: m.height! });
      if (pending.size === 0) hold(c, false);
      idle();
    });
    c.on("exit", () => {
      if (child === c) child = undefined;
      for (const [id, p] of pending) {
        pending.delete(id);
        p.reject(new Error("the picture renderer stopped"));
      }
    });
    hold(c, false);
    return c;
  };
  // While a render is under way the child keeps this process alive; idle, it must not.
  const hold = (c: ChildProcess, on: boolean) => {
    if (on) {
      c.ref();
      c.channel?.ref();
    } else {
      c.unref();
      c.channel?.unref();
    }
  };

  return {
    render(svg, o = {}) {
      child ??= start();
      hold(child, true);
      const id = next++;
      return new Promise<RenderedPng>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        child!.send({ id, svg, ...(o.palette ? { palette: o.palette } : {}) });
      });
    },
    peakRssMb: () => peak,
    async close() {
      if (timer) clearTimeout(timer);
      const c = child;
      if (!c) return;
      const exited = new Promise<void>((r) => c.once("exit", () => r()));
      c.ref(); // wait for it, even though an idle child does not hold this process open
      stop();
      await exited;
    },
  };
}
