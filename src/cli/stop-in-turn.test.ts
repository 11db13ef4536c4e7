import { expect, test } from "vitest";
import { stopInTurn } from "./stop-in-turn.ts";

test("a step that fails is logged by its kind, and every later step still runs", async () => {
  const ran: string[] = [];
  const lines: string[] = [];
  const secret = Object.assign(new Error("child Melli Majid"), { code: "SQLITE_IOERR" });
  const stop = stopInTurn(
    [
      ["the digests", () => ran.push("digests")],
      [
        "the metrics server",
        async () => {
          ran.push("metrics");
          throw secret;
        },
      ],
      ["the database", () => ran.push("database")],
    ],
    (l) => lines.push(l),
  );
  expect(await stop()).toBe(false);
  expect(ran).toEqual(["digests", "metrics", "database"]);
  expect(lines).toEqual([
    "stopping: the metrics server failed (Error SQLITE_IOERR); the other steps still ran",
  ]);
  expect(lines.join("\n")).not.toContain("Melli");
});

test("asked twice, it is the same stop: each step once", async () => {
  let n = 0;
  const stop = stopInTurn([["the readers", () => n++]], () => {});
  const [a, b] = await Promise.all([stop(), stop()]);
  expect([a, b, n]).toEqual([true, true, 1]);
  expect(await stop()).toBe(true);
  expect(n).toBe(1);
});
