/**
 * `npm run bench -- --stuck`: the stuck-since writer on the 1× synthetic agency, on SQLite and on
 * PostgreSQL (a local server of its own, fsync on, the agency copied across by `copyToPostgres` as
 * `sos migrate-store` does) side by side (bench/stuck-writer.ts says what each figure is).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pgContext } from "../src/app/pg-context.ts";
import { dayClock } from "../src/commands/clock.ts";
import { parseOrg } from "../src/config/load.ts";
import { openStore } from "../src/store/open.ts";
import { copyToPostgres } from "../src/store/pg/copy.ts";
import { openPgStore } from "../src/store/pg/open.ts";
import { startLocalPostgres } from "../test/helpers/pg-process.ts";
import { measureWriter, pgMakeDue, sqliteMakeDue, type WriterFigures, writerTable } from "./stuck-writer.ts";
import { SHAPE, syntheticConfig, syntheticContext, TODAY } from "./synthetic.ts";

export async function benchStuckWriter(loadAverage: () => string): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), "sos-bench-stuck-"));
  const dbPath = join(dir, "bench.db");
  try {
    execFileSync(process.execPath, ["--import", "tsx", join(import.meta.dirname, "generate.ts"), dbPath], {
      encoding: "utf8",
    });
    const clock = dayClock(TODAY, "Europe/London");
    const store = openStore(dbPath);
    const figures: WriterFigures[] = [];
    const at: string[] = [];
    try {
      at.push(`${loadAverage()} (SQLite)`);
      figures.push(
        await measureWriter("SQLite", syntheticContext(store, clock, SHAPE), sqliteMakeDue(store)),
      );
      let server: Awaited<ReturnType<typeof startLocalPostgres>> | undefined;
      try {
        server = await startLocalPostgres({ durable: true, prefix: "sos-bench-stuck-pg-" });
      } catch (e) {
        at.push(`PostgreSQL not measured: ${e instanceof Error ? e.message : String(e)}`);
      }
      if (server) {
        try {
          const pgStore = await openPgStore(server.url, { migrate: true, max: 4 });
          try {
            await copyToPostgres(store, pgStore);
            // The statistics a running server's autovacuum would have gathered by now.
            await pgStore.pool.query("ANALYZE");
            const org = parseOrg(syntheticConfig(SHAPE), "synthetic.config.yaml");
            const { ctx } = await pgContext(org, pgStore, clock);
            at.push(`${loadAverage()} (PostgreSQL)`);
            figures.push(await measureWriter("PostgreSQL", ctx, pgMakeDue(pgStore)));
          } finally {
            await pgStore.close();
          }
        } finally {
          server.stop();
        }
      }
    } finally {
      store.close();
    }
    return [...writerTable(figures), "", `load average ${at.join(", ")}`];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
