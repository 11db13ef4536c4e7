import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";

/**
 * The `fetch` the Slack Web API client and Bolt's `respond` (the response_url post) use: a plain
 * node:http(s) request on kept-alive connections, answered as a WHATWG `Response`. Node's global
 * fetch builds a `Request`, clones its body and runs the whole Fetch algorithm for each call: about
 * 0.5 ms of CPU per call more than this on the bench machine, and a slash command makes one to three
 * calls (the reply, `users.info` for someone new, the App Home's `views.publish`). Bodies this does
 * not send itself (FormData for a file upload, streams) and URLs that are not http(s) go to the
 * global fetch, as before. Like fetch, any HTTP status is an answer, not a failure; redirects are
 * not followed (the Web API client asks for `redirect: "error"`, and Slack's calls never redirect).
 */
export type Fetch = typeof globalThis.fetch;

const httpAgent = new HttpAgent({ keepAlive: true });
const httpsAgent = new HttpsAgent({ keepAlive: true });

/** Statuses whose Response may not carry a body. */
const NO_BODY = new Set([101, 204, 205, 304]);

function sendable(body: RequestInit["body"]): string | Uint8Array | undefined | null {
  if (body === undefined || body === null || typeof body === "string" || body instanceof Uint8Array)
    return body;
  if (body instanceof URLSearchParams) return body.toString();
  return undefined;
}

function headersOf(given: RequestInit["headers"]): Record<string, string> {
  const out: Record<string, string> = {};
  new Headers(given).forEach((v, k) => {
    out[k] = v;
  });
  return out;
}

function answer(res: IncomingMessage, chunks: Buffer[]): Response {
  const status = res.statusCode ?? 500;
  const headers = new Headers();
  for (const [k, v] of Object.entries(res.headers)) {
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) headers.append(k, one);
  }
  return new Response(NO_BODY.has(status) ? null : Buffer.concat(chunks), {
    status,
    statusText: res.statusMessage ?? "",
    headers,
  });
}

export const lightFetch: Fetch = (input, init = {}) => {
  const url = typeof input === "string" ? input : input instanceof URL ? input.href : undefined;
  const body = sendable(init.body);
  const secure = url?.startsWith("https://") === true;
  if (url === undefined || !(secure || url.startsWith("http://")) || (init.body != null && body == null))
    return globalThis.fetch(input, init);
  return new Promise<Response>((resolve, reject) => {
    const req = (secure ? httpsRequest : httpRequest)(
      url,
      {
        method: init.method ?? "GET",
        headers: headersOf(init.headers),
        agent: secure ? httpsAgent : httpAgent,
        ...(init.signal ? { signal: init.signal } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve(answer(res, chunks)));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body ?? undefined);
  });
};
