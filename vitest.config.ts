import { readdirSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, relative } from "node:path";
import { configDefaults, defineConfig } from "vitest/config";

const ROOT = import.meta.dirname;
const TEST_DIRS = ["src", "adapters", "test"];
const INCLUDE = TEST_DIRS.map((d) => `${d}/**/*.test.ts`);

/** Every test file under the test folders, relative to the package (node_modules and dist/ are not among them). */
function testFiles(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".test.ts")) found.push(relative(ROOT, path));
    }
  };
  for (const dir of TEST_DIRS) walk(join(ROOT, dir));
  return found.sort();
}

/**
 * The files that replace a module (`vi.mock`, `vi.doMock`): they need a module registry of their own,
 * since in a worker shared with other files the real module may already be loaded and the mock never
 * seen (or the mock seen by the next file). Found by reading the files, so a new one is never missed.
 */
const MOCKING = testFiles().filter((f) => /\bvi\.(do)?mock\(/.test(readFileSync(join(ROOT, f), "utf8")));

/**
 * Tests are cut to run in parallel, not to depend on each other: none reads another file's state,
 * all of theirs is in temp folders, databases of their own and child processes. So most files share
 * their worker's loaded modules (`isolate: false`): loading the sources, Bolt, the Agents SDK and
 * Drizzle afresh for each of ~140 files was about a third of the suite's time on 2 cores.
 */
const shared = {
  // CLI and HTTP tests start real processes and servers; none depends on wall-clock timing.
  testTimeout: 30_000,
  hookTimeout: 30_000,
};

export default defineConfig({
  test: {
    include: INCLUDE,
    // One worker per core, not vitest's default of one fewer: most files spend their time waiting on
    // the processes, servers and PostgreSQL they start, so on 2 cores one worker left a core idle
    // (the whole suite 354 s with one, 300-310 s with two on the same loaded machine, 2026-12-03).
    maxWorkers: availableParallelism(),
    // `sos` runs dist/: build it from the current sources before any test spawns it.
    // and one PostgreSQL server for the run, whose tests each get a database of their own.
    // In the root config, not the projects': it runs once for the run, and both projects see what it provides.
    globalSetup: ["test/build-once.ts", "test/pg-server.ts"],
    ...shared,
    projects: [
      {
        test: {
          name: "shared-modules",
          root: ROOT,
          include: INCLUDE,
          exclude: [...configDefaults.exclude, ...MOCKING],
          isolate: false,
          ...shared,
        },
      },
      ...(MOCKING.length === 0
        ? []
        : [{ test: { name: "own-modules", root: ROOT, include: MOCKING, isolate: true, ...shared } }]),
    ],
  },
});
