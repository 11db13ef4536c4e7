import { generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import type { MicrosoftEndpoints } from "../../adapters/teams/config.ts";

/**
 * A local stand-in for Microsoft's side of a bot with credentials: the keys incoming tokens are
 * signed with (an Entra authority's `/<tenant>/discovery/v2.0/keys`) and the bot's own tokens for
 * its replies (the SDK's Entra Agent ID sidecar endpoint). The SDK checks every token for real
 * (RS256 signature, audience, expiry) against these keys; only where they come from differs.
 */

export const STAND_IN_APP_ID = "11111111-2222-3333-4444-555555555555";
export const STAND_IN_TENANT = "00000000-0000-0000-0000-00000000000t";

export interface Microsoft {
  readonly endpoints: MicrosoftEndpoints;
  /** a token as the Bot Connector would send, vouching for `serviceUrl` (the claim left out if null) */
  token(serviceUrl: string | null, claims?: Record<string, unknown>): string;
  /** the token the bot presented on its outgoing calls */
  readonly outgoingToken: string;
  close(): Promise<void>;
}

function signed(privateKey: KeyObject, claims: Record<string, unknown>): string {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const head = b64({ alg: "RS256", typ: "JWT", kid: "stand-in" });
  const body = b64(claims);
  return `${head}.${body}.${sign("RSA-SHA256", Buffer.from(`${head}.${body}`), privateKey).toString("base64url")}`;
}

export async function startMicrosoft(): Promise<Microsoft> {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = { ...publicKey.export({ format: "jwk" }), kid: "stand-in", use: "sig", alg: "RS256" };
  const outgoingToken = "stand-in-bot-token";
  const app = express();
  app.get(`/${STAND_IN_TENANT}/discovery/v2.0/keys`, (_req, res) => {
    res.json({ keys: [jwk] });
  });
  app.get("/AuthorizationHeaderUnauthenticated/:service", (_req, res) => {
    res.json({ authorizationHeader: `Bearer ${outgoingToken}` });
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoints: { authority: url, tokenSidecar: url, connectorHosts: ["127.0.0.1"] },
    outgoingToken,
    token(serviceUrl, claims = {}) {
      const now = Math.floor(Date.now() / 1000);
      return signed(privateKey, {
        aud: STAND_IN_APP_ID,
        iss: "https://api.botframework.test",
        iat: now,
        nbf: now,
        exp: now + 600,
        ...(serviceUrl === null ? {} : { serviceurl: serviceUrl }),
        ...claims,
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
