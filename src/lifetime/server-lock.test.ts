import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { lockPath, serverHolds, takeServerLock } from "./server-lock.ts";

const dir = mkdtempSync(join(tmpdir(), "sos-lock-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("one holder at a time; let go on release; the lock file is private and made with its folder", () => {
  const db = join(dir, "new-folder", "sos.db");
  expect(serverHolds(db)).toBe(false);
  const held = takeServerLock(db);
  expect(held).not.toBeNull();
  expect(statSync(lockPath(db)).mode & 0o777).toBe(0o600);
  expect(serverHolds(db)).toBe(true);
  expect(takeServerLock(db)).toBeNull();
  held!.release();
  expect(serverHolds(db)).toBe(false);
  const again = takeServerLock(db);
  expect(again).not.toBeNull();
  again!.release();
});
