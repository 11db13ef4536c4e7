import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { serverNodeFlags } from "../bench/server-flags.ts";

const UNIT = resolve(import.meta.dirname, "../deploy/sos-dashboards.service");
/** node's flags in `npm start` (package.json), which the service and the HTTP load bench use too */
const START_FLAGS = serverNodeFlags();
const analyze = spawnSync("sh", ["-c", "command -v systemd-analyze"], { encoding: "utf8" }).stdout.trim();
if (!analyze)
  process.stdout.write(
    "deploy.test.ts: systemd-analyze is not installed here, so `systemd-analyze verify` of deploy/sos-dashboards.service is skipped\n",
  );

/** The unit's settings, `Key=value` by section; a key given twice keeps each value. */
function settings(text: string): Map<string, string[]> {
  const found = new Map<string, string[]>();
  let section = "";
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const head = /^\[(\w+)\]$/.exec(line);
    if (head) {
      section = head[1]!;
      continue;
    }
    const [key, ...rest] = line.split("=");
    const k = `${section}.${key}`;
    found.set(k, [...(found.get(k) ?? []), rest.join("=")]);
  }
  return found;
}

describe("deploy/sos-dashboards.service", () => {
  const unit = readFileSync(UNIT, "utf8");
  const s = settings(unit);
  const one = (k: string) => s.get(k)?.at(-1);

  test.skipIf(!analyze)("systemd-analyze verify finds nothing to say about it", () => {
    const r = spawnSync(analyze, ["verify", UNIT], { encoding: "utf8" });
    expect({ status: r.status, stderr: r.stderr, stdout: r.stdout }).toEqual({
      status: 0,
      stderr: "",
      stdout: "",
    });
  });

  test("its own user, its folder, its environment file, and the data folder the only place it writes", () => {
    expect(one("Service.User")).toBe("sos-dashboards");
    expect(one("Service.WorkingDirectory")).toBe("/opt/sos-dashboards");
    expect(one("Service.EnvironmentFile")).toBe("-/etc/sos-dashboards/sos.env");
    expect(s.get("Service.Environment")).toContain("SOS_DB=/var/lib/sos-dashboards/sos.db");
    expect(one("Service.ProtectSystem")).toBe("strict");
    expect(one("Service.ReadWritePaths")).toBe("/var/lib/sos-dashboards");
    expect(one("Service.NoNewPrivileges")).toBe("true");
    expect(one("Service.UMask")).toBe("0077");
  });

  test("stops on SIGTERM, reloads on SIGHUP, restarts only after a failure", () => {
    expect(one("Service.KillSignal")).toBe("SIGTERM");
    expect(one("Service.ExecReload")).toBe("/bin/kill -HUP $MAINPID");
    expect(one("Service.Restart")).toBe("on-failure");
    expect(one("Service.ExecStart")).toBe(
      `/usr/bin/node ${START_FLAGS.join(" ")} ${join("/opt/sos-dashboards", "bin/sos.js")} start`,
    );
  });

  test("starts node with the same flags as `npm start`, and they bound the heaps", () => {
    expect(START_FLAGS).toContainEqual(expect.stringMatching(/^--max-old-space-size=\d+$/));
    // every isolate's young generation (the main thread's and the workers')
    expect(START_FLAGS).toContainEqual(expect.stringMatching(/^--max-semi-space-size=\d+$/));
  });
});
