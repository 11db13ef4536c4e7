import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The folder holding the package's `package.json`, found by walking up from a module's own URL. The
 * same module runs as TypeScript from `src/` (tests, tsx) and compiled from `dist/src/`, so a fixed
 * `../../` from `import.meta.url` would be right in one of them only.
 */
export function packageRootOf(moduleUrl: string): string {
  let dir = dirname(fileURLToPath(moduleUrl));
  for (;;) {
    if (existsSync(join(dir, "package.json"))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${fileURLToPath(moduleUrl)}`);
    dir = up;
  }
}

/** This package's folder: shipped files (migrations, the demo config, the manifest) live under it. */
export const PACKAGE_ROOT = packageRootOf(import.meta.url);
