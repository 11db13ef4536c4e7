import { type ApiClientAdmin, CLIENT_NAME, newToken, SCOPES, type Scope, tokenHash } from "../api/clients.ts";
import { UsageError } from "../app/boot.ts";
import { findTeam } from "../config/org.ts";
import { sqliteApiClientAdmin } from "../store/api-clients.ts";
import { readArgs } from "./args.ts";
import { type OpenedRecords, openFromEnv } from "./setup.ts";

const USAGE = "See `sos api-client --help`.";

/**
 * `sos api-client add|list|revoke`: the systems allowed to call the HTTP API, and their tokens. The
 * same on the SQLite file and on PostgreSQL (`ApiClientAdmin`).
 */
export async function apiClient(argv: string[]): Promise<number> {
  const { values, positionals } = readArgs(
    "api-client",
    argv,
    { scopes: { type: "string" }, team: { type: "string", multiple: true } },
    true,
  );
  const [sub, name, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`"${extra.join(" ")}" is not part of it. ${USAGE}`);
  if (sub === "list") {
    if (name !== undefined) throw new UsageError(`sos api-client list takes no name. ${USAGE}`);
    return list();
  }
  if (sub === "add") return add(name, values.scopes, values.team ?? []);
  if (sub === "revoke") return revoke(name);
  throw new UsageError(
    sub === undefined
      ? `say what to do: add, list or revoke. ${USAGE}`
      : `"${sub}" is not an api-client command: add, list or revoke. ${USAGE}`,
  );
}

function checkedName(name: string | undefined, what: string): string {
  if (name === undefined) throw new UsageError(`sos api-client ${what} needs the client's name. ${USAGE}`);
  if (!CLIENT_NAME.test(name))
    throw new UsageError(
      `"${name}" can't be a client name: use lower-case letters, digits and dashes (up to 40), like case-system`,
    );
  return name;
}

function readScopes(given: string | undefined): Scope[] {
  if (given === undefined || given.trim() === "")
    throw new UsageError(`--scopes is needed: one or more of ${SCOPES.join(", ")}, joined by commas`);
  const words = given.split(",").map((s) => s.trim());
  const bad = words.filter((w) => !(SCOPES as readonly string[]).includes(w));
  if (bad.length > 0)
    throw new UsageError(`--scopes: "${bad.join(", ")}" is not a scope; the scopes are ${SCOPES.join(", ")}`);
  return [...new Set(words as Scope[])];
}

/** The clients of whichever store `openFromEnv` opened. */
async function clientsOf(opened: OpenedRecords): Promise<ApiClientAdmin> {
  if (!opened.pg) return sqliteApiClientAdmin(opened.ctx.store);
  // Loaded only here: a SQLite command never pays for the pg driver.
  const { pgApiClientAdmin } = await import("../store/pg/api-clients.ts");
  return pgApiClientAdmin(opened.pg);
}

const taken = (name: string) =>
  new UsageError(
    `there is already a client called ${name} (revoked ones keep their name for the audit): choose another name`,
  );

async function add(
  rawName: string | undefined,
  scopesFlag: string | undefined,
  teamWords: string[],
): Promise<number> {
  const name = checkedName(rawName, "add");
  const scopes = readScopes(scopesFlag);
  const opened = await openFromEnv({ open: { mode: "records" } });
  const { ctx } = opened;
  try {
    const teams = teamWords.map((w) => {
      const t = findTeam(ctx.org, w);
      if (!t)
        throw new UsageError(
          `--team ${w}: there is no such team; the teams are ${ctx.org.teams.map((x) => x.id).join(", ")}`,
        );
      return t.id;
    });
    const clients = await clientsOf(opened);
    if (await clients.byName(name)) throw taken(name);
    const token = newToken();
    const at = ctx.clock.now().toISOString();
    const added = await clients.add(
      { name, tokenHash: tokenHash(token), scopes, teams: [...new Set(teams)], createdAt: at },
      {
        at,
        actorId: null,
        surface: "cli",
        action: "api-client add",
        caseId: null,
        detail: { client: name, scopes, teams },
      },
    );
    if (!added) throw taken(name);
    const lines = [
      `Added API client ${name} (${scopes.join(", ")}; ${teams.length ? `teams ${teams.join(", ")}` : "every team"}).`,
      `Its token, shown this once (only a hash of it is kept):`,
      ``,
      `  ${token}`,
      ``,
      `Give it to the system as "Authorization: Bearer <token>". Lost or leaked: sos api-client revoke ${name}, then add a new one.`,
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
    return 0;
  } finally {
    await opened.close();
  }
}

async function list(): Promise<number> {
  const opened = await openFromEnv({ open: { mode: "read" } });
  try {
    const rows = await (await clientsOf(opened)).all();
    if (rows.length === 0) {
      process.stdout.write("No API clients yet: sos api-client add NAME --scopes … adds one.\n");
      return 0;
    }
    const lines = rows.map(
      (r) =>
        `${r.name}  ${r.scopes.join(",")}  ${r.teams.length ? `teams ${r.teams.join(",")}` : "every team"}  added ${r.createdAt.slice(0, 10)}${r.revokedAt ? `  REVOKED ${r.revokedAt.slice(0, 10)}` : ""}`,
    );
    process.stdout.write(`${lines.join("\n")}\n`);
    return 0;
  } finally {
    await opened.close();
  }
}

async function revoke(rawName: string | undefined): Promise<number> {
  const name = checkedName(rawName, "revoke");
  const opened = await openFromEnv({ open: { mode: "records" } });
  const { ctx } = opened;
  try {
    const clients = await clientsOf(opened);
    const row = await clients.byName(name);
    if (!row) throw new UsageError(`there is no API client called ${name} (sos api-client list shows them)`);
    const at = ctx.clock.now().toISOString();
    const done =
      !row.revokedAt &&
      (await clients.revoke(name, at, {
        at,
        actorId: null,
        surface: "cli",
        action: "api-client revoke",
        caseId: null,
        detail: { client: name },
      }));
    if (!done) {
      // Revoked before, or by another `sos api-client revoke` between the read and the write.
      const revokedAt = row.revokedAt ?? (await clients.byName(name))?.revokedAt;
      process.stdout.write(`${name} was revoked already (${revokedAt}); nothing changed.\n`);
      return 0;
    }
    process.stdout.write(`Revoked ${name}: its token is refused from now on.\n`);
    return 0;
  } finally {
    await opened.close();
  }
}
