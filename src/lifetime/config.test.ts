import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { DEMO_YAML } from "../../test/helpers/demo-config.ts";
import { ConfigError, parseOrg } from "../config/load.ts";

const with_ = (extra: string) => parseOrg(`${DEMO_YAML}\n${extra}\n`, "/srv/sos/sos.config.yaml");
const problems = (extra: string) => {
  try {
    with_(extra);
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
};

describe("config: backup and retention", () => {
  test("neither is required; without them there is no folder, schedule or policy", () => {
    const org = with_("");
    expect(org.backup).toBeNull();
    expect(org.retention).toBeNull();
  });

  test("backup.dir is read from the config file's folder; keep and schedule have defaults; off is none", () => {
    expect(with_("backup: { dir: backups }").backup).toEqual({
      dir: join("/srv/sos", "backups"),
      keep: 14,
      schedule: "0 2 * * *",
    });
    expect(with_('backup: { dir: /var/backups/sos, keep: 30, schedule: "30 1 * * 0" }').backup).toEqual({
      dir: "/var/backups/sos",
      keep: 30,
      schedule: "30 1 * * 0",
    });
    expect(with_("backup: { dir: b, schedule: off }").backup?.schedule).toBeNull();
  });

  test("retention: years and months after closing, a birthday, or both", () => {
    expect(with_("retention: { afterClosing: { years: 7 } }").retention).toEqual({
      afterClosing: { years: 7, months: 0 },
    });
    expect(with_("retention: { afterClosing: { months: 18 }, afterBirthday: 25 }").retention).toEqual({
      afterClosing: { years: 0, months: 18 },
      afterBirthday: 25,
    });
  });

  test("mistakes are named by key, each in a sentence", () => {
    expect(problems("backup: { dri: backups }")).toEqual([
      "backup.dir: is required",
      'backup: unknown key "dri" (did you mean "dir"?)',
    ]);
    expect(problems('backup: { dir: b, schedule: "every night" }')).toEqual([
      'backup.schedule: must be a cron expression of five fields (minute hour day month weekday), e.g. "0 8 * * 1"',
    ]);
    expect(problems("retention: {}")).toEqual(["retention: needs afterClosing, afterBirthday or both"]);
    expect(problems("retention: { afterClosing: { years: 0 } }")).toEqual([
      "retention.afterClosing: needs years or months (more than 0)",
    ]);
    expect(problems("retention: { afterClosing: { yeras: 7 } }")[0]).toBe(
      'retention.afterClosing: unknown key "yeras" (did you mean "years"?)',
    );
  });
});
