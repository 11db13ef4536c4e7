// Module hooks (node:module register) that append every URL the process loads to a file, one a line.
// Loaded by imports-recorder.mjs; used by test/startup-imports.test.ts.
import { appendFileSync } from "node:fs";

let file;

export function initialize(data) {
  file = data.file;
}

export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(file, `${r.url}\n`);
  return r;
}
