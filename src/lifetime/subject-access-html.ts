import type { Person, SubjectAccess } from "./subject-access.ts";

/**
 * The subject-access export as one self-contained HTML page: no scripts, no fonts or images fetched
 * from anywhere, styles inline, laid out to print on A4. Everything from the record is escaped.
 */

export interface HtmlFormat {
  /** a day as the agency writes it */
  readonly day: (iso: string) => string;
  /** an instant as the agency reads it (its zone) */
  readonly instant: (iso: string) => string;
}

const esc = (s: string | number | null | undefined): string =>
  String(s ?? "")
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");

const who = (p: Person | null) => (p ? (p.email ? `${p.name} (${p.email})` : p.name) : "the system");

function tableOf(headers: readonly string[], rows: readonly (readonly string[])[], empty: string): string {
  if (rows.length === 0) return `<p class="none">${esc(empty)}</p>`;
  return `<table><thead><tr>${headers.map((h) => `<th>${esc(h)}</th>`).join("")}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join("")}</tr>`)
    .join("")}</tbody></table>`;
}

export function subjectAccessHtml(x: SubjectAccess, f: HtmlFormat): string {
  const c = x.case;
  const day = (d: string | null) => (d ? esc(f.day(d)) : "");
  const facts: [string, string][] = [
    ["Case id", esc(c.id)],
    ["Child's name", esc(c.childName)],
    ["Date of birth", c.dateOfBirth ? day(c.dateOfBirth) : "not recorded"],
    ["Age when the case opened", c.ageAtOpening === null ? "not recorded" : esc(c.ageAtOpening)],
    ["Age today", c.ageToday === null ? "not known" : esc(c.ageToday)],
    ["Opened", day(c.openedOn)],
    [
      "Service",
      `${esc(c.serviceTitle)}${c.serviceSince && c.serviceSince !== c.openedOn ? ` (since ${day(c.serviceSince)})` : ""}`,
    ],
    [
      "Abuse types",
      c.abuseTypes.length
        ? esc(c.abuseTypes.map((a) => `${a.label} (${a.code})`).join(", "))
        : "none recorded",
    ],
    ["Worker", esc(`${who(c.worker)}, ${c.team}`)],
    [
      "Status",
      c.status === "open"
        ? "open"
        : `closed ${day(c.closedOn)}${c.outcome ? `: ${esc(c.outcome.label)}` : ""}${c.closingNote ? `<br>Note: ${esc(c.closingNote)}` : ""}`,
    ],
    ["Recorded", `${esc(f.instant(c.createdAt))} by ${esc(who(c.createdBy))}`],
  ];
  const sections = [
    `<h2>The case</h2><table class="facts"><tbody>${facts.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${v}</td></tr>`).join("")}</tbody></table>`,
    `<h2>Corrections, moves, closes and reopens</h2>${tableOf(
      ["Day", "What", "By", "When recorded", "From"],
      x.history.map((h) => [day(h.on), esc(h.what), esc(who(h.by)), esc(f.instant(h.at)), esc(h.surface)]),
      "None: the case's details are as they were recorded when it opened.",
    )}`,
    `<h2>Allocations</h2>${tableOf(
      ["From", "Worker", "Team", "Allocated by", "When recorded"],
      x.allocations.map((a) => [
        day(a.from),
        esc(who(a.worker)),
        esc(a.team),
        esc(who(a.by)),
        esc(f.instant(a.at)),
      ]),
      "None recorded.",
    )}`,
    `<h2>Practice recorded</h2><p>Every entry, including those taken back ("undone"); an undone entry no longer shows on the dashboards but is kept.</p>${tableOf(
      ["Entry", "Day", "What", "Value", "Note", "Recorded by", "When", "From", "Undone"],
      x.entries.map((e) => [
        `#${esc(e.entry)}`,
        e.occurredOn ? day(e.occurredOn) : "no date",
        esc(e.label),
        esc(e.value),
        esc(e.note),
        esc(who(e.recordedBy)),
        esc(f.instant(e.recordedAt)),
        esc(e.surface),
        e.undone
          ? `undone by ${esc(who(e.undone.by))}, ${esc(f.instant(e.undone.at))} (#${esc(e.undone.entry)})`
          : "",
      ]),
      "No practice has been recorded.",
    )}`,
    `<h2>Audit trail</h2><p>Who did what to the case, when, and from where.</p>${tableOf(
      ["When", "Who", "From", "What"],
      x.audit.map((a) => [esc(f.instant(a.at)), esc(a.who), esc(a.surface), esc(a.what)]),
      "No audit lines.",
    )}`,
    `<h2>Where the case appeared in digests</h2><p>${esc(x.digests.exactness)}</p>${tableOf(
      ["Week", "Team", "As of", "Listed as", "Posted to", "Posted"],
      x.digests.team.map((d) => [
        esc(d.week),
        esc(d.team),
        day(d.asOf),
        esc(d.as),
        esc(d.platform),
        d.postedAt ? esc(f.instant(d.postedAt)) : "",
      ]),
      "No team digest was posted while the case was open.",
    )}<h3>Reminders sent about the case</h3>${tableOf(
      ["Week", "Rule", "To"],
      x.reminders.map((r) => [esc(r.week), esc(r.rule), esc(who(r.to))]),
      "None.",
    )}<h3>Reminders paused (snoozed)</h3>${tableOf(
      ["Until", "By", "When"],
      x.snoozes.map((s) => [day(s.until), esc(who(s.by)), esc(f.instant(s.at))]),
      "None.",
    )}`,
  ];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Case ${esc(c.id)}: everything held (${esc(x.agency.name)})</title>
<style>
  body { font: 11pt/1.4 system-ui, sans-serif; margin: 2em auto; max-width: 60em; padding: 0 1em; color: #111; }
  h1 { font-size: 16pt; margin-bottom: 0.2em; } h2 { font-size: 13pt; margin-top: 1.6em; border-bottom: 1px solid #999; }
  h3 { font-size: 11pt; margin-top: 1.2em; }
  table { border-collapse: collapse; width: 100%; margin: 0.4em 0; } th, td { border: 1px solid #bbb; padding: 0.25em 0.4em; text-align: left; vertical-align: top; }
  th { background: #eee; } table.facts th { width: 14em; } .none { color: #555; font-style: italic; } .meta { color: #333; }
  @page { size: A4; margin: 15mm; }
  @media print { body { margin: 0; max-width: none; } thead { display: table-header-group; } tr { break-inside: avoid; } h2 { break-after: avoid; } }
</style>
</head>
<body>
<h1>Case ${esc(c.id)}: everything ${esc(x.agency.name)} holds in its Signs of Safety dashboards</h1>
<p class="meta">Exported ${esc(f.instant(x.exportedAt))} by ${esc(who(x.exportedBy))} (a subject-access export; the export itself is in the audit trail). Confidential: it names the child.</p>
${sections.join("\n")}
</body>
</html>
`;
}
