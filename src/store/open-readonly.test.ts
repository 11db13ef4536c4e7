import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, test } from "vitest";
import { openStore } from "./open.ts";
import { openStoreReadOnly } from "./open-readonly.ts";

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sos-ro-"));
  path = join(dir, "sos.db");
  const store = openStore(path);
  store.sqlite.prepare("INSERT INTO teams (id, name) VALUES ('north', 'North Team')").run();
  store.close();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const hash = (p: string) =>
  existsSync(p) ? createHash("sha256").update(readFileSync(p)).digest("hex") : "absent";

test("the read-only store reads, refuses every write, and leaves no side files behind", () => {
  const files = readdirSync(dir);
  const before = hash(path);
  const ro = openStoreReadOnly(path);
  expect(ro.sqlite.prepare("SELECT name FROM teams").all()).toEqual([{ name: "North Team" }]);
  expect(() => ro.sqlite.prepare("INSERT INTO teams (id, name) VALUES ('x', 'X')").run()).toThrow(
    /readonly database/,
  );
  ro.close();
  expect(readdirSync(dir)).toEqual(files);
  expect(hash(path)).toBe(before);
});

test("beside a writer that holds the database open, it reads the writer's commits and leaves its WAL alone", () => {
  const writer = openStore(path);
  writer.sqlite.prepare("INSERT INTO teams (id, name) VALUES ('south', 'South Team')").run();
  const wal = hash(`${path}-wal`);
  expect(wal).not.toBe("absent");
  const main = hash(path);
  const ro = openStoreReadOnly(path);
  expect(ro.sqlite.prepare("SELECT count(*) AS n FROM teams").get()).toEqual({ n: 2 });
  ro.close();
  expect(hash(`${path}-wal`)).toBe(wal);
  expect(hash(path)).toBe(main);
  // still the writer's: it goes on writing through them
  writer.sqlite.prepare("INSERT INTO teams (id, name) VALUES ('east', 'East Team')").run();
  writer.close();
});

test("a missing database is not created", () => {
  expect(() => openStoreReadOnly(join(dir, "nope.db"))).toThrow();
  expect(existsSync(join(dir, "nope.db"))).toBe(false);
});
