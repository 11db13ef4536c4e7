import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "adapters/**/*.test.ts", "test/**/*.test.ts"],
    // `sos` runs dist/: build it from the current sources before any test spawns it.
    // and one PostgreSQL server for the run, whose tests each get a database of their own.
    globalSetup: ["test/build-once.ts", "test/pg-server.ts"],
    // CLI and HTTP tests start real processes and servers; none depends on wall-clock timing.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
