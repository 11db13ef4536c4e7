/** A word of a command, and whether it was quoted (a quoted child's name is never read as a keyword). */
export interface Token {
  readonly text: string;
  readonly quoted: boolean;
}

// Phones turn "--" into an en or em dash, so all three start a note.
const NOTE = /(?:^|\s)(?:--|—|–)(?:\s|$)/;
const PREFIX = /^\s*\/?sos\b[:,]?/i;
const TOKEN = /"([^"]*)"|“([^”]*)”|‘([^’]*)’|(\S+)/g;

/**
 * Splits a command into words and the free-text note after `--`. Accepts the text with or without
 * the `/sos` (or `sos`) in front, and curly quotes as phones type them.
 */
export function tokenize(input: string): { tokens: Token[]; note: string | null } {
  let text = input.replace(/\u00a0/g, " ").replace(PREFIX, "");
  let note: string | null = null;
  const m = NOTE.exec(text);
  if (m) {
    note = text.slice(m.index + m[0].length).trim() || null;
    text = text.slice(0, m.index);
  }
  const tokens: Token[] = [];
  for (const t of text.matchAll(TOKEN)) {
    const quoted = t[1] ?? t[2] ?? t[3];
    if (quoted !== undefined) tokens.push({ text: quoted.trim(), quoted: true });
    else tokens.push({ text: t[4]!, quoted: false });
  }
  return { tokens, note };
}
