import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { runSos } from "../helpers/sos-start.ts";
import { type Recorder, startSlackRecorder } from "../slack/recorder.ts";

// `sos digest run` as an admin would try it: the demo config gives North Team a Slack channel, and
// SLACK_API_URL points the Web API at a local recorder.
let dir: string;
let slack: Recorder;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "sos-digest-cli-"));
  slack = await startSlackRecorder();
});
afterAll(async () => {
  await slack.close();
  rmSync(dir, { recursive: true, force: true });
});

function sos(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return runSos(dir, args, {
    SOS_DB: join(dir, "sos.db"),
    SLACK_BOT_TOKEN: "xoxb-test",
    SLACK_SIGNING_SECRET: "secret",
    SLACK_API_URL: slack.apiUrl,
  });
}

test("a team digest goes to the team's Slack channel once, with its picture; a second run says when", async () => {
  expect((await sos(["demo", "--db", join(dir, "sos.db")])).code).toBe(0);
  const first = await sos(["digest", "run", "North Team", "--at", "2016-02-29T08:00:00Z"]);
  expect(first.err).toBe("");
  expect(first.code).toBe(0);
  expect(first.out).toBe("team north 2016-W09 · slack · C0DEMONORTH: posted, posted to C0DEMONORTH\n");
  const posts = slack.of("chat.postMessage").filter((c) => c.body.channel === "C0DEMONORTH");
  expect(posts.length).toBeGreaterThan(0);
  expect(JSON.stringify(posts[0]!.body)).toContain("North Team: weekly practice dashboard");
  // the children are initials in a channel, never their names
  expect(JSON.stringify(posts.map((p) => p.body))).not.toMatch(/Melli|Mary Telis/);
  expect(slack.of("files.completeUploadExternal")).toHaveLength(1);

  const again = await sos(["digest", "run", "North Team", "--at", "2016-03-02T10:00:00Z"]);
  expect(again.code).toBe(0);
  expect(again.out).toMatch(
    /^team north 2016-W09 · slack · C0DEMONORTH: already, already posted \d\d\/\d\d\/16 \d\d:\d\d\. Use --force to post it again\.\n$/,
  );
  expect(slack.of("chat.postMessage").filter((c) => c.body.channel === "C0DEMONORTH")).toHaveLength(
    posts.length,
  );

  const status = await sos(["digest", "status"]);
  // every part posted, each sent once
  expect(status.out).toMatch(/team +North Team +2016-W09 +slack +posted +(\d+)\/\1 +\1\n/);
});

test("a dry run on an earlier day, as a supervisor and a worker see it: the quiet week's stuck cases, and nudges counted from that day", async () => {
  // 21/03/16: nothing happened that week on the demo; the tables go, the stuck cases stay.
  const quiet = await sos(["digest", "run", "North Team", "--dry-run", "--at", "2016-03-21T08:00"]);
  expect(quiet.code).toBe(0);
  expect(quiet.out).toContain(
    "Nothing changed this week: no practice logged, no new and no closed cases. 6 open cases · 0 with practice logged this week · 0 new · 0 closed · 6 stuck.\n\nRaised to the supervisor: stuck a long time (6)\n\n22346  M.T. 5  ·  Jane Smith, North Team  ·  Statutory family support / preventative\n  - no Success Scale rating 28 days after opening: stuck 255 days (since 10/07/15)",
  );
  expect(quiet.out).not.toContain("Practice coverage");

  // Nudges on 14/03/16 count the days to 14/03/16, not to the demo's today (01/03/16: 235 days).
  const nudges = await sos([
    "digest",
    "run",
    "nudges",
    "North Team",
    "--dry-run",
    "--at",
    "2016-03-14T09:00",
  ]);
  expect(nudges.code).toBe(0);
  expect(nudges.out).toContain(
    "22346  Mary Telis 5  ·  Statutory family support / preventative\n  - no Success Scale rating 28 days after opening: stuck 248 days (since 10/07/15)",
  );
  expect(nudges.out).not.toContain("235 days");
});
