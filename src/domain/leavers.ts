/** Someone no longer in the config who still has open cases allocated to them. No child data. */
export interface Leaver {
  readonly staffId: number;
  readonly name: string;
  readonly openCases: number;
}

const total = (leavers: readonly Leaver[]) => leavers.reduce((n, l) => n + l.openCases, 0);

function opening(leavers: readonly Leaver[]): string {
  const n = total(leavers);
  return n === 1
    ? "1 open case is allocated to someone no longer in the config"
    : `${n} open cases are allocated to people no longer in the config`;
}

const reallocate = (leavers: readonly Leaver[]) =>
  `reallocate ${total(leavers) === 1 ? "it" : "them"} with \`/sos assign\``;

/**
 * One sentence for a digest or a banner: "3 open cases are allocated to people no longer in the
 * config: Jane Smith (2), Ah Hin Xeng (1): reallocate them with `/sos assign`." null when there are none.
 */
export function leaversSentence(leavers: readonly Leaver[]): string | null {
  if (leavers.length === 0) return null;
  const who = leavers.map((l) => `${l.name} (${l.openCases})`).join(", ");
  return `${opening(leavers)}: ${who}: ${reallocate(leavers)}.`;
}

/** The same as a heading and one line per person, for `sos start` and `sos sync`. */
export function leaversLines(leavers: readonly Leaver[]): string[] {
  if (leavers.length === 0) return [];
  return [
    `${opening(leavers)}: ${reallocate(leavers)}:`,
    ...leavers.map((l) => `  ${l.name} (${l.openCases})`),
  ];
}
