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

export const TEAMS_ENV = {
  appId: "TEAMS_APP_ID",
  clientSecret: "TEAMS_CLIENT_SECRET",
  tenantId: "TEAMS_TENANT_ID",
} as const;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether Teams credentials are set: then Teams requests must carry a valid token. */
export function hasTeamsCredentials(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env[TEAMS_ENV.appId]?.trim());
}

export function teamsSettingsFromEnv(env: NodeJS.ProcessEnv): {
  settings: TeamsSettings;
  warnings: string[];
} {
  const get = (k: string) => env[k]?.trim() || undefined;
  const appId = get(TEAMS_ENV.appId);
  const clientSecret = get(TEAMS_ENV.clientSecret);
  const tenantId = get(TEAMS_ENV.tenantId);
  const warnings: string[] = [];
  if (!appId) {
    if (clientSecret || tenantId) {
      warnings.push(
        `${clientSecret ? TEAMS_ENV.clientSecret : TEAMS_ENV.tenantId} is set but ${TEAMS_ENV.appId} is not, so Teams is not configured.`,
      );
    }
    return { settings: {}, warnings };
  }
  if (!GUID.test(appId)) {
    warnings.push(`${TEAMS_ENV.appId} should be the bot's Microsoft Entra application (client) id, a GUID.`);
  }
  if (!clientSecret) {
    warnings.push(
      `${TEAMS_ENV.appId} is set without ${TEAMS_ENV.clientSecret}: Teams messages will be checked, but replies cannot be sent.`,
    );
  }
  return {
    settings: { appId, ...(clientSecret ? { clientSecret } : {}), ...(tenantId ? { tenantId } : {}) },
    warnings,
  };
}
