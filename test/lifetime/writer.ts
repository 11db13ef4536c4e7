// A worker recording practice as fast as the command layer takes it, for the restore drill: each
// entry is acknowledged on standard output (`ack <entry>`) only after its transaction has committed,
// as a chat reply would be. SIGTERM stops it after the entry in hand.
import { boot } from "../../src/app/boot.ts";
import { DEMO_CONFIG } from "../../src/app/paths.ts";
import { runCommand } from "../../src/commands/run.ts";

const dbPath = process.argv[2];
if (!dbPath) throw new Error("usage: writer.ts DB");
const { ctx } = boot({
  configPath: DEMO_CONFIG,
  dbPath,
  env: {},
  today: "2016-03-01",
  open: { mode: "records" },
});
const jane = ctx.people.byEmail("jane.smith@demo-agency.example")!;
let stopping = false;
process.once("SIGTERM", () => {
  stopping = true;
});
let written = 0;
while (!stopping) {
  const reply = await runCommand(ctx, {
    actor: jane,
    text: "meeting 12345",
    surface: "cli",
    audience: "private",
  });
  if (!reply.logged) throw new Error(`not recorded: ${reply.text}`);
  written++;
  process.stdout.write(`ack ${reply.logged.entryId}\n`);
  // Lets the signal in between entries.
  if (written % 50 === 0) await new Promise((r) => setImmediate(r));
}
ctx.store.close();
process.stdout.write(`written ${written}\n`);
