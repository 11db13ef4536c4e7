/**
 * The growth table of `npm run bench` (issue 12: "growing no faster than the agency"): the synthetic
 * agency at each scale of `SOS_BENCH_SCALE` (default "1,2,5"), each written by `generate.ts` and
 * measured by `scale-run.ts` in processes of their own, so each row's peak RSS is its own. Each
 * row's ratio is to the 1× row's figure (or the smallest scale's), beside how much bigger the agency is.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

interface Row {
  readonly scale: number;
  readonly cases: number;
  readonly teams: number;
  readonly overviewP50: number;
  readonly digestsP50: number;
  readonly rssMb: number;
  readonly buildSeconds: number;
}

/** `SOS_BENCH_SCALE`: the scales to measure, as "1,2,5". */
export function scalesFrom(env: NodeJS.ProcessEnv): number[] {
  const given = (env.SOS_BENCH_SCALE ?? "1,2,5").split(",").map((s) => Number(s.trim()));
  if (given.length === 0 || given.some((k) => !Number.isInteger(k) || k < 1 || k > 10))
    throw new Error(
      `SOS_BENCH_SCALE is whole scales from 1 to 10 apart by commas, as "1,2,5" (got "${env.SOS_BENCH_SCALE}")`,
    );
  return [...new Set(given)].sort((a, b) => a - b);
}

const node = (script: string, args: string[]) =>
  execFileSync(process.execPath, ["--import", "tsx", join(import.meta.dirname, script), ...args], {
    encoding: "utf8",
  });

/**
 * Each row is printed (`print`) as soon as its scale is measured, since a 5× agency takes minutes to
 * build on a loaded machine; the lines are returned too.
 */
export async function benchScale(
  loadAverage: () => string,
  print: (line: string) => void,
): Promise<string[]> {
  const lines: string[] = [];
  const say = (l: string) => {
    lines.push(l);
    print(l);
  };
  const scales = scalesFrom(process.env);
  const head = [
    "scale",
    "open cases",
    "agency overview p50 ms",
    "all digests + summary p50 ms",
    "peak RSS MB",
    "built in",
    "load average",
  ];
  const w = [24, 10, 22, 28, 14, 8, 12];
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(w[i]!)).join(" | ")} |`;
  say(
    `growth with the agency (SOS_BENCH_SCALE=${scales.join(",")}): each scale built and measured in its own processes; ratios to the ${scales[0]}× row`,
  );
  say("");
  say(line(head));
  say(line(w.map((n) => "-".repeat(n))));
  let base: Row | undefined;
  for (const scale of scales) {
    const dir = mkdtempSync(join(tmpdir(), `sos-bench-scale-${scale}-`));
    try {
      const dbPath = join(dir, "bench.db");
      const buildSeconds = Number(node("generate.ts", [dbPath, String(scale)]));
      const at = loadAverage();
      const r: Row = {
        scale,
        buildSeconds,
        ...(JSON.parse(node("scale-run.ts", [dbPath, String(scale)])) as Omit<Row, "scale" | "buildSeconds">),
      };
      base ??= r;
      const ratio = (x: number, b: number) => `${(x / b).toFixed(1)}×`;
      say(
        line([
          `${r.scale}× (${ratio(r.cases, base.cases)} the cases)`,
          r.cases.toLocaleString("en"),
          `${r.overviewP50.toFixed(0)} (${ratio(r.overviewP50, base.overviewP50)})`,
          `${r.digestsP50.toFixed(0)} (${ratio(r.digestsP50, base.digestsP50)})`,
          `${r.rssMb.toFixed(0)} (${ratio(r.rssMb, base.rssMb)})`,
          `${r.buildSeconds.toFixed(0)} s`,
          at,
        ]),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return lines;
}

if (import.meta.url === `file://${process.argv[1]}`)
  await benchScale(
    () => "",
    (l) => console.log(l),
  );
