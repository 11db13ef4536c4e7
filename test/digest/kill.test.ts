import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { spawnSos } from "../helpers/sos-start.ts";
import { type Recorder, startSlackRecorder } from "../slack/recorder.ts";

/**
 * kill -9 of a `sos digest run` in the middle of a digest, with real processes: Slack (a local
 * recorder) takes the first message and the picture, then holds its answer to the second. The run
 * is shown as still posting in another process while that process lives, as stopped (to resume)
 * once it is killed; the next run posts the rest, each message once, except the one whose answer
 * never came: that one once more, saying it may repeat.
 */
let dir: string;
let slack: Recorder;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "sos-digest-kill-"));
  slack = await startSlackRecorder();
});
afterAll(async () => {
  await slack.close();
  rmSync(dir, { recursive: true, force: true });
});

function start(args: string[]): {
  child: ChildProcess;
  done: Promise<{ code: number | null; out: string; err: string }>;
} {
  return spawnSos(dir, args, {
    SOS_DB: join(dir, "sos.db"),
    SLACK_BOT_TOKEN: "xoxb-test",
    SLACK_SIGNING_SECRET: "secret",
    SLACK_API_URL: slack.apiUrl,
  });
}
const sos = (args: string[]) => start(args).done;

const RUN = ["digest", "run", "North Team", "--at", "2016-02-29T08:00:00Z"];
const toNorth = () => slack.of("chat.postMessage").filter((c) => c.body.channel === "C0DEMONORTH");
const shown = (c: { body: Record<string, unknown> }) => JSON.stringify(c.body.blocks);

test("kill -9 mid-digest: status tells the two states; the restart posts the rest exactly once", {
  timeout: 180_000,
}, async () => {
  expect((await sos(["demo", "--db", join(dir, "sos.db")])).code).toBe(0);

  // The first message is answered, the second is held: the process waits on Slack's answer.
  const release = slack.holdNext("chat.postMessage", 1);
  const first = start(RUN);
  await slack.waitFor(() => toNorth().length === 2, 120_000);

  const live = await sos(["digest", "status"]);
  // Parts posted so far: the first message and the picture.
  expect(live.out).toMatch(/posting: still posting in another process \(started \d+ s ago\) +2\/\d+/);

  first.child.kill("SIGKILL");
  expect((await first.done).code).toBe(null);
  const stopped = await sos(["digest", "status"]);
  expect(stopped.out).toMatch(/posting: stopped while posting, will resume +2\/\d+/);
  expect(stopped.out).toContain("1 stopped while posting (the process ended)");
  release();

  const second = await sos(RUN);
  expect(second.err).toBe("");
  expect(second.code).toBe(0);
  expect(second.out).toMatch(
    /^team north 2016-W09 · slack · C0DEMONORTH: posted, posted the rest to C0DEMONORTH after a stop: parts 3–(\d+) of \1 \(part 3 went again after Slack gave no answer, marked as a possible repeat\)\n$/,
  );

  // What the channel got: the held message twice (the second copy says so), every other once.
  const posts = toNorth();
  const [top, held, again, ...rest] = posts;
  const total = Number(/of (\d+)/.exec(second.out)![1]);
  expect(posts).toHaveLength(total); // the parts less the picture, plus the one repeat
  expect(shown(held!)).not.toContain("may repeat");
  expect(shown(again!)).toMatch(
    /This message may repeat one sent at \d\d\/\d\d\/16 \d\d:\d\d that Slack did not confirm\./,
  );
  const unmarked = [top!, held!, ...rest].map(shown);
  expect(new Set(unmarked).size).toBe(unmarked.length);
  expect(rest.map(shown).join()).not.toContain("may repeat");
  // One picture; everything after the first message in its thread.
  expect(slack.of("files.completeUploadExternal")).toHaveLength(1);
  const ts = top!.body.thread_ts;
  expect(ts).toBeUndefined();
  const thread = new Set([held, again, ...rest].map((c) => c!.body.thread_ts));
  expect(thread.size).toBe(1);

  // And a third run says it is done.
  const third = await sos(RUN);
  expect(third.out).toMatch(/already, already posted/);
  expect(toNorth()).toHaveLength(posts.length);
  const final = await sos(["digest", "status"]);
  expect(final.out).toMatch(new RegExp(`team +North Team +2016-W09 +slack +posted +${total}/${total}`));
});
