import { expect, test } from "vitest";
import { withTeamsIds } from "../bench/http-load.ts";
import { scalesFrom } from "../bench/scale.ts";
import { SHAPE, scaled, syntheticConfig } from "../bench/synthetic.ts";
import { parseOrg } from "../src/config/load.ts";

/**
 * What the benchmark's Teams run and growth table stand on: every person of the synthetic agency
 * known by a Teams id (else the Teams load would measure "I can't find you" replies), and each scale
 * the agency k times over.
 */

test("the Teams run's config gives every person of the synthetic agency a Teams id, and the config still loads", () => {
  const org = parseOrg(withTeamsIds(syntheticConfig(SHAPE)), "teams.config.yaml");
  expect(org.staff).toHaveLength(1_051);
  expect(org.staff.every((s) => s.teamsId === `aad-${s.email.split("@")[0]}`)).toBe(true);
  expect(org.teams).toHaveLength(50);
});

test("a scale is the agency k times over: teams, cases and events, the same per case", () => {
  expect(scaled(SHAPE, 2)).toEqual({ teams: 100, workersPerTeam: 20, cases: 40_000, events: 2_000_000 });
  expect(() => scaled(SHAPE, 0)).toThrow("a scale is a whole number from 1 (got 0)");
});

test("SOS_BENCH_SCALE picks the scales, 1×, 2× and 5× unless told", () => {
  expect(scalesFrom({})).toEqual([1, 2, 5]);
  expect(scalesFrom({ SOS_BENCH_SCALE: "2, 1,2" })).toEqual([1, 2]);
  expect(() => scalesFrom({ SOS_BENCH_SCALE: "1,x" })).toThrow(
    'SOS_BENCH_SCALE is whole scales from 1 to 10 apart by commas, as "1,2,5" (got "1,x")',
  );
});
