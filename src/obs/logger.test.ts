import { Writable } from "node:stream";
import { describe, expect, test } from "vitest";
import { createLogger, errorFields, lineLog, prettyFromEnv, readLevel } from "./logger.ts";

/** A logger writing into an array, one parsed record per line. */
function captured(level?: string) {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split("\n").filter(Boolean)) lines.push(JSON.parse(l));
      done();
    },
  });
  return { log: createLogger({ level, stream }), lines };
}

describe("the logger", () => {
  test("fields that could hold a child's name, a note or a credential are redacted wherever they are", () => {
    const { log, lines } = captured();
    log.info(
      {
        req: {
          headers: { authorization: "Bearer eyJ-secret", cookie: "s=1", "x-slack-signature": "v0=abc" },
        },
        command: { text: 'open 40001 "Tallulah Okonkwo" 7', note: "hit with a belt", childName: "Tallulah" },
        slack: { botToken: "xoxb-1", signingSecret: "shh" },
        person: { name: "Tallulah Okonkwo" },
        caseId: "40001",
      },
      "something happened",
    );
    const written = JSON.stringify(lines);
    for (const s of ["eyJ-secret", "s=1", "v0=abc", "Tallulah", "belt", "xoxb-1", "shh"])
      expect(written).not.toContain(s);
    expect(lines[0]).toMatchObject({ caseId: "40001", msg: "something happened", level: 30 });
  });

  test("errors are logged by kind and code, never their message (it may quote what was typed)", () => {
    const { log, lines } = captured();
    const e = Object.assign(new Error('no case "Tallulah Okonkwo"'), { code: "SQLITE_BUSY" });
    log.warn({ err: e }, "a write failed");
    expect(lines[0]).toMatchObject({ err: { type: "Error", code: "SQLITE_BUSY" } });
    expect(JSON.stringify(lines)).not.toContain("Tallulah");
    expect(errorFields("text")).toEqual({ type: "string" });
  });

  test("LOG_LEVEL chooses what is written; lines keep their words, with a component and a level", () => {
    const { log, lines } = captured("warn");
    const config = lineLog(log, "config", (l) => (l.startsWith("config: reloaded") ? "info" : "warn"));
    config("config: reloaded sos.config.yaml (file changed): nothing changed");
    config("config: not reloaded (file changed), the running config stays as it was: …");
    expect(lines.map((l) => [l.level, l.component, l.msg])).toEqual([
      [40, "config", "config: not reloaded (file changed), the running config stays as it was: …"],
    ]);
  });

  test.each([
    [undefined, { level: "info" }],
    ["", { level: "info" }],
    ["DEBUG", { level: "debug" }],
    [" silent ", { level: "silent" }],
    [
      "verbose",
      { problem: 'LOG_LEVEL must be one of trace, debug, info, warn, error, fatal, silent (got "verbose")' },
    ],
  ])("LOG_LEVEL=%j reads as %j", (given, read) => {
    expect(readLevel(given)).toEqual(read);
  });

  test.each([
    [{}, true, true],
    [{}, false, false],
    [{ LOG_FORMAT: "json" }, true, false],
    [{ LOG_FORMAT: "pretty" }, false, true],
  ])("LOG_FORMAT %j on a terminal %j: pretty %j", (env, terminal, pretty) => {
    expect(prettyFromEnv(env, terminal)).toBe(pretty);
  });
});
