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
  /** null when Slack is off: not configured, or configured only in part (see warnings) */
  readonly settings: SlackSettings | null;
  /** whether any Slack variable is set at all (so the app is not in local mode by accident) */
  readonly configured: boolean;
  readonly warnings: string[];
}

export const SLACK_VARS = [
  "SLACK_BOT_TOKEN",
  "SLACK_SIGNING_SECRET",
  "SLACK_APP_TOKEN",
  "SLACK_API_URL",
] as const;

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
  const warnings: string[] = [];
  if (!configured) {
    if (rawUrl) warnings.push("SLACK_API_URL is set but no Slack token is, so Slack is off.");
    return { settings: null, configured, warnings };
  }
  if (!botToken) {
    warnings.push(
      "Slack is off: SLACK_BOT_TOKEN is not set (the Bot User OAuth Token, xoxb-…, from the app's OAuth & Permissions page).",
    );
    return { settings: null, configured, warnings };
  }
  if (!signingSecret && !appToken) {
    warnings.push(
      "Slack is off: set SLACK_SIGNING_SECRET (HTTP mode, from Basic Information) or SLACK_APP_TOKEN (Socket Mode, xapp-…) as well as SLACK_BOT_TOKEN.",
    );
    return { settings: null, configured, warnings };
  }
  if (!botToken.startsWith("xoxb-"))
    warnings.push("SLACK_BOT_TOKEN does not start with xoxb-: is it the Bot User OAuth Token?");
  if (appToken && !appToken.startsWith("xapp-"))
    warnings.push(
      "SLACK_APP_TOKEN does not start with xapp-: is it an app-level token with connections:write?",
    );
  let apiUrl: string | undefined;
  if (rawUrl) {
    if (!/^https?:\/\/\S+$/.test(rawUrl)) {
      warnings.push(
        `Slack is off: SLACK_API_URL must be an http(s) URL such as https://slack.com/api/ (got "${rawUrl}").`,
      );
      return { settings: null, configured, warnings };
    }
    apiUrl = rawUrl.endsWith("/") ? rawUrl : `${rawUrl}/`;
  }
  const common = { botToken, ...(apiUrl ? { apiUrl } : {}) };
  if (appToken) {
    return { settings: { mode: "socket", appToken, ...common }, configured, warnings };
  }
  return { settings: { mode: "http", signingSecret: signingSecret!, ...common }, configured, warnings };
}
