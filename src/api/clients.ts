import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { AuditEntry } from "../store/audit.ts";
import type { ApiClientRow } from "../store/schema.ts";

/**
 * What a client may do. Reads of a case's own record (`cases:read`: its details and history) are a
 * scope apart from the dashboards' counts (`dashboards:read`: dashboards, stuck, coverage), so a data
 * team's reporting job can have the numbers without the case details.
 */
export const SCOPES = ["practice:write", "cases:write", "cases:read", "dashboards:read"] as const;
export type Scope = (typeof SCOPES)[number];

/** A client as a request sees it once its token matched. */
export interface ApiClient {
  readonly id: number;
  readonly name: string;
  readonly scopes: readonly Scope[];
  /** team ids it is limited to; empty: every team */
  readonly teams: readonly string[];
}

/** Where clients are kept: a small port, so another database can hold them too. */
export interface ApiClientStore {
  add(row: Omit<ApiClientRow, "id" | "revokedAt">): ApiClientRow;
  all(): ApiClientRow[];
  /** clients not revoked */
  active(): ApiClientRow[];
  byName(name: string): ApiClientRow | undefined;
  /** false when there is no such client, or it was revoked already */
  revoke(name: string, at: string): boolean;
}

/** The same table on PostgreSQL: the same calls, each a round trip to the server. */
export interface AsyncApiClientStore {
  add(row: Omit<ApiClientRow, "id" | "revokedAt">): Promise<ApiClientRow>;
  all(): Promise<ApiClientRow[]>;
  active(): Promise<ApiClientRow[]>;
  byName(name: string): Promise<ApiClientRow | undefined>;
  revoke(name: string, at: string): Promise<boolean>;
}

/**
 * What `sos api-client` needs of either store (`sqliteApiClientAdmin`, `pgApiClientAdmin`): each
 * change written with its audit line in one transaction, so no client is added or revoked without
 * the trail saying so, and a refused change writes neither.
 */
export interface ApiClientAdmin {
  all(): Promise<ApiClientRow[]>;
  byName(name: string): Promise<ApiClientRow | undefined>;
  /** undefined, and nothing written, when the name is taken (revoked clients keep theirs) */
  add(row: Omit<ApiClientRow, "id" | "revokedAt">, audit: AuditEntry): Promise<ApiClientRow | undefined>;
  /** false, and nothing written, when there is no such client or it was revoked already */
  revoke(name: string, at: string, audit: AuditEntry): Promise<boolean>;
}

/**
 * What a request needs of either store: the clients not revoked, read on every request (not cached),
 * so a revocation made on one instance refuses the token on all of them at once.
 */
export interface ActiveApiClients {
  active(): readonly ApiClientRow[] | Promise<readonly ApiClientRow[]>;
}

/** A client name: what `api:<name>` in the audit shows, so short and plain. */
export const CLIENT_NAME = /^[a-z0-9][a-z0-9-]{0,39}$/;

/** `sos_` and 32 random bytes (256 bits), base64url: not guessable, and easy to spot in a leaked file. */
export function newToken(): string {
  return `sos_${randomBytes(32).toString("base64url")}`;
}

export function tokenHash(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/**
 * The active client whose stored hash is this token's, comparing every hash in constant time: how
 * long a wrong token takes says nothing about how close it was. Clients are few (one per system).
 */
export function clientForToken(active: readonly ApiClientRow[], token: string): ApiClient | null {
  const given = Buffer.from(tokenHash(token), "hex");
  let found: ApiClientRow | null = null;
  for (const row of active) {
    const stored = Buffer.from(row.tokenHash, "hex");
    if (stored.length === given.length && timingSafeEqual(stored, given)) found = row;
  }
  if (!found) return null;
  return {
    id: found.id,
    name: found.name,
    scopes: found.scopes.filter((s): s is Scope => (SCOPES as readonly string[]).includes(s)),
    teams: found.teams,
  };
}
