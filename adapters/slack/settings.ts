/**
 * How to reach Slack, read from the environment (README, "Set up in Slack"):
 * - HTTP mode: SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET; Slack posts to POST /slack/events.
 * - Socket Mode: SLACK_BOT_TOKEN and SLACK_APP_TOKEN; the bot dials out, for agencies behind firewalls.
 * - SLACK_API_URL (optional): the Web API base, e.g. https://slack-gov.com/api/ for Slack GovSlack.
 */
export interface SlackSettings {
  readonly mode: "http" | "socket";
  readonly botToken: string;
  readonly signingSecret?: string;
  readonly appToken?: string;
  /** the Web API base URL, ending in "/"; undefined: https://slack.com/api/ */
  readonly apiUrl?: string;
}

export interface SlackEnv {
  /** null when Slack is off (no Slack credentials at all), or when the set-up can't run (`problem`) */
  readonly settings: SlackSettings | null;
  /** whether any Slack credential is set (then local mode is off, whatever else is set) */
  readonly configured: boolean;
  /** a set-up that can't run: one sentence naming the missing variable (the app refuses to start) */
  readonly problem: string | null;
  /** a set-up that runs but looks wrong */
  readonly warnings: string[];
}

export const SLACK_VARS = [
  "SLACK_BOT_TOKEN",
  "SLACK_SIGNING_SECRET",
  "SLACK_APP_TOKEN",
  "SLACK_API_URL",
] as const;

/**
 * Slack from the environment. Credentials are all or nothing: half a set-up must never fall back to
 * local mode (which answers anyone), so it is a `problem`, not a warning.
 */
export function slackEnv(env: NodeJS.ProcessEnv): SlackEnv {
  const get = (k: (typeof SLACK_VARS)[number]) => {
    const v = env[k]?.trim();
    return v ? v : undefined;
  };
  const botToken = get("SLACK_BOT_TOKEN");
  const signingSecret = get("SLACK_SIGNING_SECRET");
  const appToken = get("SLACK_APP_TOKEN");
  const rawUrl = get("SLACK_API_URL");
  const configured = Boolean(botToken || signingSecret || appToken);
  const off = (problem: string | null, warnings: string[] = []): SlackEnv => ({
    settings: null,
    configured,
    problem,
    warnings,
  });
  if (!configured)
    return off(null, rawUrl ? ["SLACK_API_URL is set but no Slack token is, so Slack is off."] : []);
  if (!botToken) {
    const set = signingSecret ? "SLACK_SIGNING_SECRET" : "SLACK_APP_TOKEN";
    return off(
      `${set} is set without SLACK_BOT_TOKEN: set the Bot User OAuth Token (xoxb-…, from the app's OAuth & Permissions page) too, or unset ${set} to run in local mode.`,
    );
  }
  if (!signingSecret && !appToken) {
    return off(
      "SLACK_BOT_TOKEN is set without SLACK_SIGNING_SECRET (HTTP mode, from the app's Basic Information) or SLACK_APP_TOKEN (Socket Mode, xapp-…): set one of them, or unset SLACK_BOT_TOKEN to run in local mode.",
    );
  }
  const warnings: string[] = [];
  if (!botToken.startsWith("xoxb-"))
    warnings.push("SLACK_BOT_TOKEN does not start with xoxb-: is it the Bot User OAuth Token?");
  if (appToken && !appToken.startsWith("xapp-"))
    warnings.push(
      "SLACK_APP_TOKEN does not start with xapp-: is it an app-level token with connections:write?",
    );
  let apiUrl: string | undefined;
  if (rawUrl) {
    if (!/^https?:\/\/\S+$/.test(rawUrl))
      return off(`SLACK_API_URL must be an http(s) URL such as https://slack.com/api/ (got "${rawUrl}").`);
    apiUrl = rawUrl.endsWith("/") ? rawUrl : `${rawUrl}/`;
  }
  const common = { botToken, ...(apiUrl ? { apiUrl } : {}) };
  if (appToken) {
    return { settings: { mode: "socket", appToken, ...common }, configured, problem: null, warnings };
  }
  return {
    settings: { mode: "http", signingSecret: signingSecret!, ...common },
    configured,
    problem: null,
    warnings,
  };
}
