/**
 * Teams settings from the environment. Our own variable names, read here and passed to the SDK as an
 * object: the SDK also reads `clientId`, `tenantId`, `clientSecret` and `Connections__*` variables by
 * itself, so don't set those (see docs/teams.md).
 */
export interface TeamsSettings {
  /** the bot's Microsoft Entra app (client) id; absent: anonymous, for local mode only */
  readonly appId?: string;
  readonly clientSecret?: string;
  /** the Entra tenant of a single-tenant bot */
  readonly tenantId?: string;
}

/**
 * Where "Microsoft" is, when it is not Microsoft: a test's local stand-in. Tokens are checked against
 * the keys at `authority` (`<authority>/<tenant>/discovery/v2.0/keys`), the bot's own tokens come
 * from an Entra Agent ID sidecar at `tokenSidecar` (an SDK auth type), and connectors on
 * `connectorHosts` may be answered besides Microsoft's. Never read from the environment.
 */
export interface MicrosoftEndpoints {
  readonly authority: string;
  readonly tokenSidecar: string;
  readonly connectorHosts: readonly string[];
}

export const TEAMS_ENV = {
  appId: "TEAMS_APP_ID",
  clientSecret: "TEAMS_CLIENT_SECRET",
  tenantId: "TEAMS_TENANT_ID",
} as const;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface TeamsEnv {
  readonly settings: TeamsSettings;
  /** whether any Teams credential is set (then local mode is off, whatever else is set) */
  readonly configured: boolean;
  /** a set-up that can't run: one sentence naming the missing variable (the app refuses to start) */
  readonly problem: string | null;
  /** a set-up that runs but looks wrong */
  readonly warnings: string[];
}

/**
 * Teams from the environment. Credentials are all or nothing: half a set-up must never fall back to
 * local mode, which answers anyone.
 */
export function teamsEnv(env: NodeJS.ProcessEnv): TeamsEnv {
  const get = (k: string) => env[k]?.trim() || undefined;
  const appId = get(TEAMS_ENV.appId);
  const clientSecret = get(TEAMS_ENV.clientSecret);
  const tenantId = get(TEAMS_ENV.tenantId);
  const configured = Boolean(appId || clientSecret || tenantId);
  const none = { settings: {}, configured, warnings: [] };
  if (!appId) {
    const set = clientSecret ? TEAMS_ENV.clientSecret : tenantId ? TEAMS_ENV.tenantId : null;
    return {
      ...none,
      problem: set
        ? `${set} is set without ${TEAMS_ENV.appId}: set the bot's Microsoft Entra application (client) id too, or unset ${set} to run in local mode.`
        : null,
    };
  }
  if (!clientSecret) {
    return {
      ...none,
      problem: `${TEAMS_ENV.appId} is set without ${TEAMS_ENV.clientSecret}: the bot could check Microsoft's tokens but never reply. Set the app's client secret too, or unset ${TEAMS_ENV.appId} to run in local mode.`,
    };
  }
  const warnings = GUID.test(appId)
    ? []
    : [`${TEAMS_ENV.appId} should be the bot's Microsoft Entra application (client) id, a GUID.`];
  return {
    settings: { appId, clientSecret, ...(tenantId ? { tenantId } : {}) },
    configured,
    problem: null,
    warnings,
  };
}
