// Compiles the TypeScript sources into dist/ with tsc (tsconfig.build.json), and tells whether dist/
// is up to date. `npm run build` and `npm install` (the `prepare` script) run this file; bin/sos.js
// and the test suite's global setup call `ensureBuilt()` so they never run a stale dist/.
// Plain JavaScript on purpose: it must run before anything is compiled.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const DIST = join(ROOT, "dist");
/** Written after every build, with the time the build started: dist/ is fresh while no source is newer. */
const STAMP = join(DIST, ".built");
const LOCK = join(DIST, ".building");
/** What tsc writes (tsconfig.build.json's rootDir is the package); dist/teams (the Teams app package) is not ours. */
const OUTPUTS = ["src", "adapters"].map((d) => join(DIST, d));
const SOURCE_DIRS = ["src", "adapters"].map((d) => join(ROOT, d));
const SOURCE_FILES = ["tsconfig.json", "tsconfig.build.json", "package.json"].map((f) => join(ROOT, f));

/**
 * The newest modification time among the sources: every non-test `.ts` file under src/ and adapters/,
 * the folders themselves (a deleted or renamed file changes its folder's time) and the tsconfigs.
 * About 200 `stat` calls: a few milliseconds, cheap enough to run before every `sos` command.
 */
export function newestSource() {
  let newest = 0;
  const walk = (dir) => {
    newest = Math.max(newest, statSync(dir).mtimeMs);
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts"))
        newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  for (const dir of SOURCE_DIRS) walk(dir);
  for (const file of SOURCE_FILES) newest = Math.max(newest, statSync(file).mtimeMs);
  return newest;
}

/** dist/ holds a finished build of the current sources. */
export function isFresh() {
  if (!existsSync(STAMP)) return false;
  return statSync(STAMP).mtimeMs >= newestSource();
}

const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** The pid in a lock left by a build, or null when that build's process is gone. */
function lockHolder() {
  try {
    const pid = Number(readdirSync(LOCK)[0]);
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

/**
 * Only one process builds at a time: two `sos` commands started together after an update would
 * otherwise both clean and write dist/, and one could load the other's half-written files. The lock
 * is a folder (mkdir is atomic) holding the builder's pid, so a lock left by a killed build is taken over.
 */
function withLock(fn) {
  mkdirSync(DIST, { recursive: true });
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (e) {
      if (e.code !== "EEXIST") throw e;
      if (lockHolder() === null) {
        // Either the holder died, or it has made the folder and not yet written its pid: look again.
        sleep(200);
        if (lockHolder() === null) rmSync(LOCK, { recursive: true, force: true });
      } else sleep(200);
    }
  }
  writeFileSync(join(LOCK, String(process.pid)), "");
  try {
    return fn();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/** tsc from this package's node_modules, or null when TypeScript is not installed (`--omit=dev`). */
function tscPath() {
  try {
    return createRequire(join(ROOT, "package.json")).resolve("typescript/bin/tsc");
  } catch {
    return null;
  }
}

/**
 * Cleans what tsc writes and compiles the sources. tsc's messages go to standard error, so a build
 * started by `sos dashboard --format json` leaves standard output to the JSON.
 * Returns { ok, typeErrors }: type errors do not stop tsc from writing the JavaScript.
 *
 * `check: false` only transpiles (`--noCheck`): the same files byte for byte (the sources are
 * `isolatedModules`, so no file's output depends on another's types), in a third of the time
 * (18 s → 6 s on 2 cores, measured). The builds made on demand (`ensureBuilt`: before a `sos` command,
 * the tests' global setup) and after an install use it; `npm run build` checks, and `npm run
 * typecheck` (run by CI) is where type errors are reported.
 */
export function build({ check = true } = {}) {
  const tsc = tscPath();
  if (!tsc) return { ok: false, typeErrors: false, missingTsc: true };
  const started = Date.now();
  for (const out of OUTPUTS) rmSync(out, { recursive: true, force: true });
  rmSync(STAMP, { force: true });
  const args = [tsc, "-p", join(ROOT, "tsconfig.build.json"), ...(check ? [] : ["--noCheck"])];
  const r = spawnSync(process.execPath, args, {
    cwd: ROOT,
    stdio: ["ignore", process.stderr, process.stderr],
  });
  // tsc's exit codes: 0 clean; 2 emitted with type errors; 1 nothing emitted (a config error).
  const emitted = r.status === 0 || (r.status === 2 && existsSync(join(DIST, "src/cli/main.js")));
  if (!emitted) return { ok: false, typeErrors: false, missingTsc: false };
  writeFileSync(STAMP, `${new Date(started).toISOString()}\n`);
  // Stamped with the start time: a source saved while tsc ran is newer, and triggers the next build.
  utimesSync(STAMP, started / 1000, started / 1000);
  return { ok: true, typeErrors: r.status !== 0, missingTsc: false };
}

/**
 * Builds when dist/ is missing or older than the sources; otherwise does nothing (a few ms).
 * `say` tells the person waiting why the first start after a change takes a few seconds more.
 */
export function ensureBuilt(say = (line) => process.stderr.write(`${line}\n`)) {
  if (isFresh()) return { ok: true, built: false };
  if (!tscPath()) {
    if (existsSync(join(DIST, "src/cli/main.js"))) {
      say(
        "sos: dist/ looks older than the sources, and TypeScript is not installed to rebuild it: running dist/ as it is.",
      );
      return { ok: true, built: false };
    }
    say(
      "sos: dist/ has not been built and TypeScript is not installed: run `npm install` (with dev dependencies), then `npm run build`.",
    );
    return { ok: false, built: false };
  }
  return withLock(() => {
    if (isFresh()) return { ok: true, built: false }; // another process built it while we waited
    say("sos: compiling the sources into dist/ (once after an install or a change) …");
    const r = build({ check: false });
    if (!r.ok) {
      say("sos: the sources could not be compiled (see above).");
      return { ok: false, built: false };
    }
    return { ok: true, built: true };
  });
}

// `node bin/build.js` (npm run build): always build, type-checked, and fail on type errors.
// `--prepare` (npm's prepare step, after every `npm install`): transpiled only, so an install without
// dev dependencies (no TypeScript) or with type errors in work in progress still completes; `sos`
// says what it finds.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const prepare = process.argv.includes("--prepare");
  const r = tscPath()
    ? withLock(() => build({ check: !prepare }))
    : { ok: false, typeErrors: false, missingTsc: true };
  if (r.missingTsc) {
    process.stderr.write("sos: TypeScript is not installed (dev dependencies), so dist/ was not built.\n");
    process.exitCode = prepare ? 0 : 1;
  } else if (!r.ok) process.exitCode = 1;
  else if (r.typeErrors) process.exitCode = prepare ? 0 : 1;
}
