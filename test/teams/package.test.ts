import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { inflateRawSync, inflateSync } from "node:zlib";
import { afterAll, describe, expect, test } from "vitest";
import {
  buildPackage,
  type Manifest,
  packageSettingsFromEnv,
  readTemplate,
} from "../../adapters/teams/package/build.ts";
import { manifestProblems } from "../../adapters/teams/package/validate.ts";
import { PACKAGE_ROOT } from "../../src/app/paths.ts";
import { parseFor } from "../../src/commands/run.ts";
import { makeTestCtx } from "../helpers/ctx.ts";

const APP_ID = "11111111-2222-3333-4444-555555555555";
const settings = {
  appId: APP_ID,
  manifestId: APP_ID,
  validDomains: ["sos.agency.example"],
  version: "1.2.3",
};

/** The entries of a zip, read back from its central directory. */
function unzip(buf: Buffer): Record<string, Buffer> {
  const end = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = buf.readUInt16LE(end + 10);
  let p = buf.readUInt32LE(end + 16);
  const out: Record<string, Buffer> = {};
  for (let i = 0; i < count; i++) {
    expect(buf.readUInt32LE(p)).toBe(0x02014b50);
    const size = buf.readUInt32LE(p + 20);
    const nameLength = buf.readUInt16LE(p + 28);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString("utf8", p + 46, p + 46 + nameLength);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    out[name] = inflateRawSync(buf.subarray(start, start + size));
    p += 46 + nameLength;
  }
  return out;
}

function png(buf: Buffer) {
  expect(buf.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const width = buf.readUInt32BE(16);
  const height = buf.readUInt32BE(20);
  const idat: Buffer[] = [];
  for (let p = 8; p < buf.length; ) {
    const length = buf.readUInt32BE(p);
    if (buf.toString("ascii", p + 4, p + 8) === "IDAT") idat.push(buf.subarray(p + 8, p + 8 + length));
    p += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const pixel = (x: number, y: number) => [...raw.subarray(y * (width * 4 + 1) + 1 + x * 4).subarray(0, 4)];
  return { width, height, colorType: buf[25], pixel };
}

describe("the Teams app manifest", () => {
  test("the committed template is valid against the Teams schema v1.22", () => {
    const template = readTemplate();
    expect(template.manifestVersion).toBe("1.22");
    expect(manifestProblems(template)).toEqual([]);
  });

  test("the built one has this installation's ids and domains, and is valid", () => {
    const { manifest } = buildPackage(readTemplate(), settings);
    expect(manifest).toMatchObject({ id: APP_ID, version: "1.2.3", validDomains: ["sos.agency.example"] });
    expect(manifest.bots[0]).toMatchObject({ botId: APP_ID, scopes: ["personal", "team", "groupChat"] });
    expect(manifestProblems(manifest)).toEqual([]);
  });

  test("the schema check does refuse a bad manifest", () => {
    const bad: Manifest = {
      ...readTemplate(),
      accentColor: "blue",
      bots: [{ botId: "nope", scopes: ["everywhere"] }],
    };
    expect(manifestProblems(bad)).toEqual(
      expect.arrayContaining([
        expect.stringContaining("/accentColor"),
        expect.stringContaining("/bots/0/botId"),
      ]),
    );
  });

  test("every command in the command lists is one the bot understands", () => {
    const t = makeTestCtx();
    const lists = readTemplate().bots[0]!.commandLists as { commands: { title: string }[] }[];
    const titles = lists.flatMap((l) => l.commands.map((c) => c.title));
    expect(titles).toEqual(expect.arrayContaining(["log", "mine", "case", "team", "stuck", "undo", "help"]));
    for (const title of titles) {
      const parsed = parseFor(t.ctx, title);
      // "case" alone asks for the id, which the person types after picking it from the menu.
      expect(parsed.ok || `${parsed.issue.code}: ${title}`).toSatisfy(
        (x) => x === true || x === "usage: case",
      );
    }
    t.close();
  });
});

describe("settings from the environment", () => {
  test.each([
    [{}, "TEAMS_APP_ID is not set"],
    [{ TEAMS_APP_ID: "my-bot" }, 'TEAMS_APP_ID must be a GUID (got "my-bot")'],
    [{ TEAMS_APP_ID: APP_ID, TEAMS_MANIFEST_ID: "x" }, "TEAMS_MANIFEST_ID must be a GUID"],
    [{ TEAMS_APP_ID: APP_ID, TEAMS_VALID_DOMAINS: "not a host" }, '"not a host" is not a host name'],
    [{ TEAMS_APP_ID: APP_ID, TEAMS_APP_VERSION: "2" }, "TEAMS_APP_VERSION must look like 1.0.0"],
  ])("%o is refused: %s", (env, problem) => {
    const r = packageSettingsFromEnv(env, "0.1.0");
    expect("problems" in r && r.problems.join("\n")).toContain(problem);
  });

  test("domains may be written as URLs; the app id stands for the manifest id when none is given", () => {
    const r = packageSettingsFromEnv(
      { TEAMS_APP_ID: APP_ID, TEAMS_VALID_DOMAINS: "https://sos.agency.example/x, *.agency.example" },
      "0.1.0",
    );
    expect(r).toEqual({
      settings: {
        appId: APP_ID,
        manifestId: APP_ID,
        validDomains: ["sos.agency.example", "*.agency.example"],
        version: "0.1.0",
      },
    });
  });
});

describe("the package", () => {
  const dir = mkdtempSync(join(tmpdir(), "sos-teams-package-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("npm run teams:package writes a zip holding the manifest and both icons at its root", async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", "adapters/teams/package/main.ts"],
      {
        cwd: PACKAGE_ROOT,
        env: { PATH: process.env.PATH ?? "", TEAMS_APP_ID: APP_ID, TEAMS_PACKAGE_DIR: dir },
      },
    );
    expect(stdout).toContain("manifest valid against the Teams manifest schema v1.22");
    const files = unzip(readFileSync(join(dir, "sos-teams-app.zip")));
    expect(Object.keys(files)).toEqual(["manifest.json", "color.png", "outline.png"]);
    expect(JSON.parse(files["manifest.json"]!.toString())).toMatchObject({
      id: APP_ID,
      bots: [{ botId: APP_ID }],
    });

    const color = png(files["color.png"]!);
    expect([color.width, color.height, color.colorType]).toEqual([192, 192, 6]);
    const outline = png(files["outline.png"]!);
    expect([outline.width, outline.height]).toEqual([32, 32]);
    // The outline icon must be white on transparent: every pixel fully clear or pure white.
    for (let y = 0; y < 32; y++) {
      for (let x = 0; x < 32; x++) {
        const [r, g, b, a] = outline.pixel(x, y);
        expect(a === 0 || (r === 255 && g === 255 && b === 255 && a === 255)).toBe(true);
      }
    }
  });

  test("the same settings give the same bytes", () => {
    expect(buildPackage(readTemplate(), settings).zip).toEqual(buildPackage(readTemplate(), settings).zip);
  });
});
