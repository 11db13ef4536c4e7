import { ensureBuilt } from "../bin/build.js";

/**
 * Vitest global setup: brings dist/ up to date once, before any test runs. Tests that spawn
 * `bin/sos.js` then run the compiled JavaScript that production runs (its `import.meta.url` paths
 * from dist/ included) built from the sources under test. Building here rather than in each spawned
 * process spares every parallel test file the same build, and costs nothing when dist/ is fresh.
 */
export default function setup(): void {
  const r = ensureBuilt((line) => process.stderr.write(`${line}\n`));
  if (!r.ok) throw new Error("dist/ could not be built from the sources (see above); the CLI tests need it");
}
