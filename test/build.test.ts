import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

// `sos` runs dist/ and builds it first when it is missing or older than the sources. Tested on a
// copy of the package (the sources, bin/, the shipped files; node_modules linked) so that building
// and editing there never disturbs the dist/ the other tests run.
const ROOT = resolve(import.meta.dirname, "..");
let copy: string;

beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), "sos-build-"));
  for (const p of [
    "bin",
    "src",
    "adapters",
    "migrations",
    "examples",
    "package.json",
    "tsconfig.json",
    "tsconfig.build.json",
  ])
    cpSync(join(ROOT, p), join(copy, p), { recursive: true, filter: (f) => !f.endsWith(".test.ts") });
  symlinkSync(join(ROOT, "node_modules"), join(copy, "node_modules"));
});
afterAll(() => rmSync(copy, { recursive: true, force: true }));

function sos(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(copy, "bin/sos.js"), ...args], {
      cwd: copy,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, SOS_DB: join(copy, "x.db") },
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("close", (code) => done({ code, out, err }));
  });
}

const COMPILING = "sos: compiling the sources into dist/";

describe("sos builds dist/ when it must, once", () => {
  test("a fresh checkout: two commands started together build once and both run; then no build; an edit builds again", async () => {
    const [a, b] = await Promise.all([sos(["--help"]), sos(["help", "stuck"])]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(a.out).toContain("Usage: sos <command> [options]");
    expect(b.out).toContain("Usage: sos stuck");
    // The build's messages go to standard error: standard output is the command's alone.
    expect([a.err, b.err].filter((e) => e.includes(COMPILING))).toHaveLength(1);
    expect(a.out + b.out).not.toContain(COMPILING);

    const again = await sos(["--help"]);
    expect(again.code).toBe(0);
    expect(again.err).toBe("");

    const help = join(copy, "src/cli/help.ts");
    writeFileSync(
      help,
      readFileSync(help, "utf8").replace(
        "Usage: sos <command> [options]",
        "Usage: sos <command> [options] (edited)",
      ),
    );
    const edited = await sos(["--help"]);
    expect(edited.err).toContain(COMPILING);
    expect(edited.out).toContain("Usage: sos <command> [options] (edited)");
  }, 240_000);
});
