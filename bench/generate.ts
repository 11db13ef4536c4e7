/**
 * Writes the synthetic agency to a SQLite file (argument 1), at a scale (argument 2, default 1: the
 * issue's agency; 2 is twice the teams, workers, cases and events). Run by bench/run.ts and
 * bench/scale.ts in a child process, so the measuring process's memory holds only what the app
 * itself does with the data.
 */
import { dayClock } from "../src/commands/clock.ts";
import { openStore } from "../src/store/open.ts";
import { buildAgency, SHAPE, scaled, TODAY } from "./synthetic.ts";

const path = process.argv[2];
if (!path) throw new Error("usage: generate.ts <db path> [scale]");
const store = openStore(path);
const t0 = performance.now();
buildAgency(store, dayClock(TODAY, "Europe/London"), scaled(SHAPE, Number(process.argv[3] ?? 1)), TODAY);
store.sqlite.pragma("wal_checkpoint(TRUNCATE)");
store.close();
process.stdout.write(`${((performance.now() - t0) / 1000).toFixed(1)}\n`);
