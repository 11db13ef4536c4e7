import { readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * node's own flags for `sos start` as it ships: those of `npm start` in package.json, which
 * deploy/sos-dashboards.service repeats (test/deploy.test.ts checks they agree), so the HTTP load
 * bench starts the server with them too.
 */
export function serverNodeFlags(): string[] {
  const pkg = JSON.parse(readFileSync(join(import.meta.dirname, "../package.json"), "utf8")) as {
    scripts: Record<string, string>;
  };
  const words = (pkg.scripts.start ?? "").split(/\s+/);
  const script = words.indexOf("bin/sos.js");
  if (words[0] !== "node" || script < 0) throw new Error(`npm start is not "node … bin/sos.js start"`);
  return words.slice(1, script);
}
