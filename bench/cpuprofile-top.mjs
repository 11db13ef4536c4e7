// The top of a V8 .cpuprofile (node --cpu-prof, or SOS_BENCH_PROFILE in bench/http-load.ts):
// `node bench/cpuprofile-top.mjs FILE.cpuprofile [N] [--by-file] [--total]`. By default self time per
// function: the samples in which the function itself was running, not its callees. --total counts
// a function in every sample it is on the stack of (callees included), --by-file adds the self time
// up per script (a package's share). Shares are of the busy samples: "(idle)" is the loop waiting.
import { readFileSync } from "node:fs";

const [file, n = "30", ...flags] = process.argv.slice(2);
if (!file) throw new Error("usage: cpuprofile-top.mjs FILE.cpuprofile [N] [--by-file] [--total]");
const profile = JSON.parse(readFileSync(file, "utf8"));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
const counts = new Map();
for (const id of profile.samples) counts.set(id, (counts.get(id) ?? 0) + 1);
const byFile = flags.includes("--by-file");
const total = flags.includes("--total");
/** A package's file by its package path; the project's own by dist/, src/ or adapters/. */
const short = (url) => {
  const u = url.replace(/^file:\/\//, "");
  const pkg = u.lastIndexOf("node_modules/");
  return pkg >= 0 ? u.slice(pkg + "node_modules/".length) : u.replace(/.*\/(dist|src|adapters)\//, "$1/");
};
const keyOf = ({ callFrame: f }) =>
  byFile
    ? short(f.url) || f.functionName
    : `${f.functionName || "(anonymous)"} ${short(f.url)}${f.url ? `:${f.lineNumber + 1}` : ""}`;
const shares = new Map();
let idle = 0;
for (const [id, c] of counts) {
  const node = byId.get(id);
  if (node.callFrame.functionName === "(idle)") {
    idle += c;
    continue;
  }
  const keys = new Set([keyOf(node)]);
  if (total) for (let p = parent.get(id); p !== undefined; p = parent.get(p)) keys.add(keyOf(byId.get(p)));
  for (const key of keys) shares.set(key, (shares.get(key) ?? 0) + c);
}
const all = profile.samples.length;
const busy = all - idle;
console.log(
  `${file}: ${all} samples over ${((profile.endTime - profile.startTime) / 1e6).toFixed(1)} s; busy ${((busy / all) * 100).toFixed(1)}%; ${total ? "total" : "self"} time, as shares of the busy samples`,
);
for (const [key, c] of [...shares].sort((a, b) => b[1] - a[1]).slice(0, Number(n)))
  console.log(`${((c / busy) * 100).toFixed(1).padStart(5)}%  ${key}`);
