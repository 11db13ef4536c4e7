import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, test } from "vitest";
import { PATIENCE_MS, runSos, startSos } from "../helpers/sos-start.ts";
import { emptyPgDatabase, PG_AVAILABLE } from "../helpers/stores.ts";
import { type RecordedCall, type Recorder, startSlackRecorder } from "../slack/recorder.ts";

/**
 * SIGTERM to `sos start` while its catch-up at start is posting the week's digests, with real
 * processes: Slack (a local recorder) has taken the first message of North Team's digest and its
 * picture, and holds its answer to the next message. The app, told to stop, waits for that answer
 * and records it, posts nothing more, and exits. The next start posts the rest of the digest in
 * the same thread: every part once, in order, none marked as a possible repeat.
 */
const NORTH = "C0DEMONORTH";
const shown = (c: RecordedCall) => JSON.stringify(c.body.blocks);
/** the first message's ts, as the recorder answered it: the thread the others go under */
const tsOf = (c: RecordedCall) => c.body.thread_ts;
const inNorthThread = (c: RecordedCall) =>
  c.method === "chat.postMessage" && c.body.channel === NORTH && c.body.thread_ts !== undefined;

let dir: string;
let slack: Recorder;
let pgDb: { url: string; drop(): Promise<void> } | undefined;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "sos-digest-stop-"));
  slack = await startSlackRecorder();
});
afterEach(async () => {
  await slack.close();
  await pgDb?.drop();
  pgDb = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const toNorth = () => slack.of("chat.postMessage").filter((c) => c.body.channel === NORTH);

// On PostgreSQL the same: the instance that stops holds the schedules' lock until it has let the
// run go, and the next start (or another instance) resumes it.
for (const store of ["sqlite", "postgres"] as const)
  test.skipIf(store === "postgres" && !PG_AVAILABLE)(
    `SIGTERM mid catch-up (${store}): the part being posted is recorded, the next start posts the rest, each once`,
    { timeout: PATIENCE_MS * 4 },
    async () => {
      if (store === "postgres") pgDb = await emptyPgDatabase();
      const env = () => ({
        SOS_DB: join(dir, "sos.db"),
        SLACK_BOT_TOKEN: "xoxb-test",
        SLACK_SIGNING_SECRET: "secret",
        SLACK_API_URL: slack.apiUrl,
        ...(pgDb ? { DATABASE_URL: pgDb.url } : {}),
      });
      // The first message in North's thread (after the top message and the picture) is held.
      const release = slack.holdWhere(inNorthThread);
      const first = await startSos(dir, env());
      await slack.waitFor(inNorthThread, PATIENCE_MS);
      const exited = first.stop();
      // Told to stop, it waits for the part Slack has not answered yet; it says so, then is answered.
      await first.waitForLog(/^digest: stopping: waiting for \d+ part/);
      release();
      expect(await exited).toBe(0);
      const before = toNorth().length;
      expect(before).toBe(2);
      expect(first.logLines()).toContainEqual(
        expect.stringMatching(
          /^digest: posting to slack C0DEMONORTH stopped with the app after 3 of \d+ parts$/,
        ),
      );

      // The ledger says where it stopped; the next start picks it up.
      const status = await runSos(dir, ["digest", "status"], env());
      expect(status.out).toMatch(
        /team +North Team +\S+ +slack +posting: stopped while posting, will resume +3\/\d+/,
      );

      const second = await startSos(dir, env());
      await second.waitForLog(/^digest: caught up team north \S+ on slack: posted$/);
      expect(await second.stop()).toBe(0);

      const posts = toNorth();
      const total = Number(/ of (\d+) parts/.exec(first.logLines().join("\n"))![1]);
      // Every part but the picture is a message: each posted once, none saying it may repeat.
      expect(posts).toHaveLength(total - 1);
      expect(posts.map(shown).join()).not.toContain("may repeat");
      expect(new Set(posts.map(shown)).size).toBe(posts.length);
      expect(
        slack.of("files.completeUploadExternal").filter((c) => c.body.channel_id === NORTH),
      ).toHaveLength(1);
      // In order, in one thread: the top message, then the rest under it.
      const [top, ...rest] = posts;
      expect(tsOf(top!)).toBeUndefined();
      expect(new Set(rest.map(tsOf)).size).toBe(1);
      const final = await runSos(dir, ["digest", "status"], env());
      expect(final.out).toMatch(
        new RegExp(`team +North Team +\\S+ +slack +posted \\(late\\) +${total}/${total}`),
      );

      // Nothing else the two starts posted went twice either.
      const all = slack.of("chat.postMessage").map((c) => `${String(c.body.channel)} ${shown(c)}`);
      expect(all.length - new Set(all).size).toBe(0);
    },
  );
