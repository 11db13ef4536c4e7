import { closest } from "../util/suggest.ts";
import { HELP, MAIN_HELP } from "./help.ts";

type Run = (argv: string[]) => Promise<number> | number;

/**
 * Each command's module, loaded only when that command runs: `sos --help` and `sos stuck` must not
 * pay for the HTTP server, Bolt and the Teams SDK that only `sos start` uses (loading them all took
 * every command 1.3-7 s to start). Adding a command is one line here (and its text in help.ts).
 */
const COMMANDS: Readonly<Record<string, () => Promise<Run>>> = {
  start: async () => (await import("./start.ts")).start,
  chat: async () => (await import("./chat.ts")).chat,
  demo: async () => (await import("./demo.ts")).demo,
  dashboard: async () => (await import("./dashboard.ts")).dashboard,
  stuck: async () => (await import("./stuck.ts")).stuck,
  digest: async () => (await import("./digest.ts")).digest,
  export: async () => (await import("./export.ts")).exportFile,
  audit: async () => (await import("./audit.ts")).audit,
  backup: async () => (await import("./backup.ts")).backup,
  restore: async () => (await import("./restore.ts")).restore,
  retention: async () => (await import("./retention.ts")).retention,
  erase: async () => (await import("./erase.ts")).erase,
  import: async () => (await import("./import.ts")).importFile,
  migrate: async () => (await import("./migrate.ts")).migrate,
  sync: async () => (await import("./sync.ts")).sync,
  config: async () => (await import("./config.ts")).config,
  "api-client": async () => (await import("./api-client.ts")).apiClient,
  "migrate-store": async () => (await import("./migrate-store.ts")).migrateStore,
};

/** A mistake in how `sos` itself was called: one sentence on standard error, exit code 2. */
function usage(message: string): number {
  process.stderr.write(`sos: ${message}\n`);
  return 2;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    const topic = name === "help" ? rest[0] : undefined;
    process.stdout.write(`${topic && HELP[topic] ? HELP[topic] : MAIN_HELP}\n`);
    return 0;
  }
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!load) {
    const hint = closest(name, Object.keys(COMMANDS), 1)[0];
    return usage(
      `"${name}" is not a sos command.${hint ? ` Did you mean \`sos ${hint}\`?` : ""} See \`sos --help\`.`,
    );
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    process.stdout.write(`${HELP[name]}\n`);
    return 0;
  }
  // migrate-store reads DATABASE_URL as where to copy to: it is the way onto PostgreSQL.
  if (process.env.DATABASE_URL?.trim() && name !== "migrate-store") {
    // PostgreSQL is chosen: a command that still reads the SQLite file is refused, never pointed
    // at a local file while the agency's records are on the server.
    const { chosenStore, notOnPostgres, PG_COMMANDS } = await import("../app/store-choice.ts");
    const store = chosenStore(process.env);
    if (store.kind === "postgres" && !PG_COMMANDS.includes(name)) throw notOnPostgres(name, store.url);
  }
  const [run, { busyTimeoutProblem }] = await Promise.all([load(), import("./errors.ts")]);
  const badWait = busyTimeoutProblem();
  if (badWait) return usage(badWait);
  return run(rest);
}

// `sos stuck | head`: the reader went away; that is not an error.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw e;
});

/** A system error someone can fix, in one plain sentence; null for anything else. */
function plainSystemError(e: unknown): string | null {
  const err = e as NodeJS.ErrnoException;
  const where = err.path ? ` ${err.path}` : "";
  switch (err.code) {
    case "ENOENT":
      return `can't find${where}: check the path (a folder to write into must already exist).`;
    case "EACCES":
    case "EPERM":
      return `not allowed to use${where}: check its permissions.`;
    case "EADDRINUSE":
      return `port ${(err as { port?: number }).port ?? ""} is already in use: is sos already running? Stop it, or set PORT to another port.`.replace(
        "port  is",
        "the port is",
      );
    case "EADDRNOTAVAIL":
    case "ENOTFOUND":
      // Only listening names HOST; the chat platforms' own network errors are handled where they occur.
      return process.env.HOST
        ? `HOST=${process.env.HOST} is not an address of this machine: use 127.0.0.1 (the default), or 0.0.0.0 for every interface.`
        : null;
    case "ENOSPC":
      return "the disk is full: nothing more can be written until space is freed.";
    default:
      return null;
  }
}

/**
 * What an unexpected error may show: its kind and code. Never its message or stack: a failed query's
 * message quotes its parameters (children's names, notes), and a stack shows install paths.
 */
function kindOf(e: unknown): string {
  if (!(e instanceof Error)) return typeof e;
  const code = (e as { code?: unknown }).code;
  const cause = e.cause instanceof Error ? `, from ${kindOf(e.cause)}` : "";
  return `${e.name}${typeof code === "string" ? ` ${code}` : ""}${cause}`;
}

// One place where errors end up: known ones print plainly, anything else as its kind, never a stack.
try {
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  // Loaded here, not at the top, so that `--help` loads none of them; a command that threw has
  // loaded them already.
  const [{ UsageError }, { ConfigError }, { isBusy }, { busySentence }] = await Promise.all([
    import("../app/boot.ts"),
    import("../config/load.ts"),
    import("../store/open.ts"),
    import("./errors.ts"),
  ]);
  if (e instanceof UsageError) {
    process.stderr.write(`sos: ${e.message}\n`);
    process.exitCode = 2;
  } else if (isBusy(e)) {
    process.stderr.write(`sos: ${busySentence()}\n`);
    process.exitCode = 1;
  } else if (plainSystemError(e)) {
    process.stderr.write(`sos: ${plainSystemError(e)}\n`);
    process.exitCode = 1;
  } else if (e instanceof ConfigError) {
    process.stderr.write(`sos: the config can't be used. ${e.message}\n`);
    process.exitCode = 1;
  } else {
    const debug = process.env.SOS_DEBUG === "1" && e instanceof Error;
    process.stderr.write(
      `sos: something went wrong (${kindOf(e)}) and the command stopped. ${debug ? `\n${e.stack}` : "SOS_DEBUG=1 shows the details, for whoever looks after this install."}\n`,
    );
    process.exitCode = 1;
  }
}
