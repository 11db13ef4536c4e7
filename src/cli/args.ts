import { type ParseArgsConfig, parseArgs } from "node:util";
import { UsageError } from "../app/boot.ts";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** parseArgs, with its errors turned into a usage error that names the command's --help. */
export function readArgs<O extends Options>(
  command: string,
  argv: string[],
  options: O,
  positionals = false,
) {
  try {
    return parseArgs({
      args: argv,
      options: { ...options, help: { type: "boolean", short: "h" } },
      allowPositionals: positionals,
      strict: true,
    });
  } catch (e) {
    const msg = e instanceof Error ? e.message.replace(/\. To specify.*$/s, "") : String(e);
    throw new UsageError(`${msg}. See \`sos ${command} --help\`.`);
  }
}

export function oneOf<T extends string>(
  flag: string,
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${flag} must be one of ${allowed.join(", ")} (got "${value}")`);
}
