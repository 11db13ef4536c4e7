import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { expect, test } from "vitest";

// The layering rules for the digests (docs/ARCHITECTURE.md), read from the source's own imports.
const ROOT = resolve(import.meta.dirname, "../..");

function files(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

/** Each file's imports, as paths from the repository root. */
function importsOf(file: string): string[] {
  const src = readFileSync(join(ROOT, file), "utf8");
  return [...src.matchAll(/^(?:import|export)\s[^;]*?from\s+"(\.[^"]+)";/gms)].map((m) =>
    relative(ROOT, resolve(ROOT, file, "..", m[1]!)),
  );
}

test("src/digest imports no command handler: what both use lives in src/digest or src/domain", () => {
  const offending = files("src/digest").flatMap((f) =>
    importsOf(f)
      .filter((i) => i.startsWith("src/commands/handlers/"))
      .map((i) => `${f} → ${i}`),
  );
  expect(offending).toEqual([]);
});

test("the digest renderers and posters decide nothing in words of their own that the text says", () => {
  // The sentences a digest says are in src/digest (words.ts, parts.ts); the platform files only lay
  // them out. A copy of one of these in an adapter is the drift this rule is here to stop.
  const sentences = [
    "Posted late: the app was not running",
    "Nothing changed this week",
    "Raised to the supervisor",
    "Preview: nothing was posted",
    "opens the form on that case",
    "The rest of this digest is",
    "no longer in the config",
  ];
  const platform = [
    ...files("adapters/slack").filter((f) => /digest|post|nudge|reply/.test(f)),
    ...files("adapters/teams").filter((f) => /digest|proactive/.test(f)),
  ].filter((f) => !f.endsWith(".test.ts"));
  const found = platform.flatMap((f) => {
    const src = readFileSync(join(ROOT, f), "utf8");
    return sentences.filter((s) => src.includes(s)).map((s) => `${f}: "${s}"`);
  });
  expect(found).toEqual([]);
});

test("src/app/posters.ts and src/app/surfaces.ts do not import each other both ways", () => {
  const posters = importsOf("src/app/posters.ts");
  const surfaces = importsOf("src/app/surfaces.ts");
  const cycle = posters.includes("src/app/surfaces.ts") && surfaces.includes("src/app/posters.ts");
  expect(cycle).toBe(false);
});
