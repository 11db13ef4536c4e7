/**
 * Writes the synthetic agency to a SQLite file (argument 1). Run by bench/run.ts in a child process,
 * so the measuring process's memory holds only what the app itself does with the data.
 */
import { dayClock } from "../src/commands/clock.ts";
import { openStore } from "../src/store/open.ts";
import { buildAgency, SHAPE, TODAY } from "./synthetic.ts";

const path = process.argv[2];
if (!path) throw new Error("usage: generate.ts <db path>");
const store = openStore(path);
const t0 = performance.now();
buildAgency(store, dayClock(TODAY, "Europe/London"), SHAPE, TODAY);
store.sqlite.pragma("wal_checkpoint(TRUNCATE)");
store.close();
process.stdout.write(`${((performance.now() - t0) / 1000).toFixed(1)}\n`);
