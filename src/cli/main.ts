import { UsageError } from "../app/boot.ts";
import { ConfigError } from "../config/load.ts";
import { isBusy } from "../store/open.ts";
import { closest } from "../util/suggest.ts";
import { audit } from "./audit.ts";
import { chat } from "./chat.ts";
import { config } from "./config.ts";
import { dashboard } from "./dashboard.ts";
import { demo } from "./demo.ts";
import { digest } from "./digest.ts";
import { busySentence, busyTimeoutProblem } from "./errors.ts";
import { exportFile } from "./export.ts";
import { HELP, MAIN_HELP } from "./help.ts";
import { migrate } from "./migrate.ts";
import { start } from "./start.ts";
import { stuck } from "./stuck.ts";
import { sync } from "./sync.ts";

type Run = (argv: string[]) => Promise<number> | number;

const COMMANDS: Readonly<Record<string, Run>> = {
  start,
  chat,
  demo,
  dashboard,
  stuck,
  digest,
  export: exportFile,
  audit,
  migrate,
  sync,
  config,
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    const topic = name === "help" ? rest[0] : undefined;
    process.stdout.write(`${topic && HELP[topic] ? HELP[topic] : MAIN_HELP}\n`);
    return 0;
  }
  const badWait = busyTimeoutProblem();
  if (badWait) throw new UsageError(badWait);
  const run = COMMANDS[name];
  if (!run) {
    const hint = closest(name, Object.keys(COMMANDS), 1)[0];
    throw new UsageError(
      `"${name}" is not a sos command.${hint ? ` Did you mean \`sos ${hint}\`?` : ""} See \`sos --help\`.`,
    );
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    process.stdout.write(`${HELP[name]}\n`);
    return 0;
  }
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
