/**
 * A server's stop, step by step: every step runs even when one before it failed, so a failed
 * metrics close never leaves the database open or the start lock held, and the process still ends
 * by its exit code rather than by an unhandled rejection. Called twice (SIGTERM, then Ctrl+C), it is
 * the same stop. Resolves to whether every step went through.
 */
export function stopInTurn(
  steps: readonly (readonly [name: string, step: () => unknown])[],
  log: (line: string) => void,
): () => Promise<boolean> {
  let stopping: Promise<boolean> | undefined;
  return () => {
    stopping ??= (async () => {
      let ok = true;
      for (const [name, step] of steps) {
        try {
          await step();
        } catch (e) {
          ok = false;
          // The kind only: an error's message may quote a record.
          const { name: kind, code } = (e ?? {}) as { name?: unknown; code?: unknown };
          log(
            `stopping: ${name} failed (${[kind, code].filter((x) => typeof x === "string").join(" ") || typeof e}); the other steps still ran`,
          );
        }
      }
      return ok;
    })();
    return stopping;
  };
}
