/**
 * Calendar dates as ISO strings (`2016-01-06`). Practice happens on a day, not at an instant, so the
 * domain never needs a time zone except to ask "what day is it now" (see `localDate`).
 */

export type IsoDate = string;

/** How an agency writes dates: the seed is day-first (`06/01/16`). */
export type DateOrder = "dmy" | "mdy" | "ymd";

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isIsoDate(s: string): boolean {
  const m = ISO.exec(s);
  return m !== null && isRealDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

export function isRealDate(y: number, m: number, d: number): boolean {
  if (!Number.isInteger(y) || !Number.isInteger(m) || !Number.isInteger(d)) return false;
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= daysInMonth(y, m);
}

export function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

export function ymd(y: number, m: number, d: number): IsoDate {
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/** Year, month, day of `YYYY-MM-DD`, read digit by digit: called for every date of every case. */
function parts(date: IsoDate): [number, number, number] {
  // Written out, not with a helper: tsx's transform wraps every function it creates (`__name`), per call.
  const z = 48 * 1111;
  const y =
    date.charCodeAt(0) * 1000 + date.charCodeAt(1) * 100 + date.charCodeAt(2) * 10 + date.charCodeAt(3) - z;
  const m = (date.charCodeAt(5) - 48) * 10 + date.charCodeAt(6) - 48;
  return [y, m, (date.charCodeAt(8) - 48) * 10 + date.charCodeAt(9) - 48];
}

/**
 * Days since 1970-01-01 by plain arithmetic (H. Hinnant's days_from_civil): dashboards do this for
 * every case and rule, and allocating a Date each time showed in the profile.
 */
export function dayNumber(date: IsoDate): number {
  let [y, m, d] = parts(date);
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The day `dayNumber` numbers `n`. */
export function fromDayNumber(n: number): IsoDate {
  const z = n + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return ymd(yoe + era * 400 + (m <= 2 ? 1 : 0), m, d);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromDayNumber(dayNumber(date) + days);
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return dayNumber(to) - dayNumber(from);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(date: IsoDate): number {
  return (((dayNumber(date) + 4) % 7) + 7) % 7;
}

/** The calendar date at `instant` in `timeZone` (an IANA name such as `Europe/London`). */
export function localDate(instant: Date, timeZone: string): IsoDate {
  let fmt = localDateFormats.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    localDateFormats.set(timeZone, fmt);
  }
  return fmt.format(instant);
}

/**
 * One formatter per zone, kept. Each `new Intl.DateTimeFormat` holds ICU memory the garbage collector
 * does not see, so making one per call grew the process by ~27 KB a call (measured: +540 MB over
 * 20,000 commands) until a full collection happened to run.
 */
const localDateFormats = new Map<string, Intl.DateTimeFormat>();

/** `08:05`: the 24-hour time at an instant in a zone. */
export function localTime(instant: Date, timeZone: string): string {
  let fmt = localTimeFormats.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    localTimeFormats.set(timeZone, fmt);
  }
  return fmt.format(instant);
}
const localTimeFormats = new Map<string, Intl.DateTimeFormat>();

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** Full years from `from` to `on`: a child's age on a day. */
export function fullYears(from: IsoDate, on: IsoDate): number {
  const [y1, m1, d1] = parts(from);
  const [y2, m2, d2] = parts(on);
  let years = y2 - y1;
  if (m2 < m1 || (m2 === m1 && d2 < d1)) years -= 1;
  return years;
}

/**
 * Display patterns use `d`/`dd`, `M`/`MM`, `yy`/`yyyy` and any separators: the seed writes `dd/MM/yy`.
 */
export function formatDate(date: IsoDate, pattern: string): string {
  let byDate = formatted.get(pattern);
  if (byDate === undefined) {
    if (formatted.size >= PATTERNS_KEPT) formatted.clear();
    byDate = new Map();
    formatted.set(pattern, byDate);
  }
  let text = byDate.get(date);
  if (text === undefined) {
    if (byDate.size >= DAYS_KEPT) byDate.clear();
    text = formatUncached(date, pattern);
    byDate.set(date, text);
  }
  return text;
}

/**
 * Each day's text, per pattern: a week's digests write the same few hundred days thousands of times
 * (every stuck finding's "since", every transfer), and the pattern's regular expression per call was
 * ~16 ms of the 50 team digests (bench/profile.ts). A pure function of its two strings, so kept
 * across calls; bounded (a century is 36,525 days).
 */
const formatted = new Map<string, Map<IsoDate, string>>();
const PATTERNS_KEPT = 16;
const DAYS_KEPT = 40_000;

function formatUncached(date: IsoDate, pattern: string): string {
  const [y, m, d] = parts(date);
  return pattern.replace(/yyyy|yy|MM|M|dd|d/g, (token) => {
    switch (token) {
      case "yyyy":
        return String(y).padStart(4, "0");
      case "yy":
        return String(y % 100).padStart(2, "0");
      case "MM":
        return String(m).padStart(2, "0");
      case "M":
        return String(m);
      case "dd":
        return String(d).padStart(2, "0");
      default:
        return String(d);
    }
  });
}

export function isValidDatePattern(pattern: string): boolean {
  const tokens = pattern.match(/yyyy|yy|MM|M|dd|d/g) ?? [];
  const kinds = new Set(tokens.map((t) => t[0]));
  return tokens.length === 3 && kinds.size === 3;
}

export function defaultDatePattern(order: DateOrder): string {
  if (order === "mdy") return "MM/dd/yy";
  if (order === "ymd") return "yyyy-MM-dd";
  return "dd/MM/yy";
}

export type DateParse =
  | { ok: true; date: IsoDate }
  /** looks like a date but no such day exists (`31/02/26`) */
  | { ok: false; reason: "impossible" }
  /** not a date at all */
  | { ok: false; reason: "not-a-date" };

const NUMERIC = /^(\d{1,4})[/.-](\d{1,2})(?:[/.-](\d{1,4}))?$/;

/**
 * Reads what a worker types for a date: `today`, `yesterday`, ISO `2016-01-06`, or numbers in the
 * agency's order (`6/1/16`, `06/01/2016`, `6.1.16`). A date without a year (`6/1`) is the most recent
 * such day, so "30/12" typed on 3 January means last December (or, for leave, the next such day);
 * the reply always shows the full date.
 */
export function parseDate(
  token: string,
  today: IsoDate,
  order: DateOrder,
  /** which way a date without a year goes: practice happened ("past"), leave is ahead ("future") */
  yearless: "past" | "future" = "past",
): DateParse {
  const word = token.toLowerCase();
  if (word === "today") return { ok: true, date: today };
  if (word === "yesterday") return { ok: true, date: addDays(today, -1) };
  // Accepted so the reply can say plainly that it is in the future, rather than "not a date".
  if (word === "tomorrow") return { ok: true, date: addDays(today, 1) };
  const iso = ISO.exec(token);
  if (iso) {
    const [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
    return isRealDate(y, m, d) ? { ok: true, date: ymd(y, m, d) } : { ok: false, reason: "impossible" };
  }
  const num = NUMERIC.exec(token);
  if (!num) return { ok: false, reason: "not-a-date" };
  const a = num[1]!;
  const b = num[2]!;
  const c = num[3];
  let y: number;
  let m: number;
  let d: number;
  if (a.length === 4 || order === "ymd") {
    // Year first: `2016/1/6`; a yearless `1/6` in ymd order is month/day.
    if (c === undefined) {
      [m, d] = [Number(a), Number(b)];
      y = Number(today.slice(0, 4));
    } else {
      if ((a.length !== 4 && a.length !== 2) || c.length > 2) return { ok: false, reason: "not-a-date" };
      [y, m, d] = [expandYear(a), Number(b), Number(c)];
    }
  } else {
    if (a.length > 2 || (c !== undefined && c.length !== 2 && c.length !== 4))
      return { ok: false, reason: "not-a-date" };
    [d, m] = order === "mdy" ? [Number(b), Number(a)] : [Number(a), Number(b)];
    y = c === undefined ? Number(today.slice(0, 4)) : expandYear(c);
  }
  if (!isRealDate(y, m, d)) {
    // 29/2 without a year in a non-leap year is still a real day in the most recent leap year, but
    // guessing that far back would surprise; call it impossible.
    return { ok: false, reason: "impossible" };
  }
  let date = ymd(y, m, d);
  if (c === undefined && yearless === "past" && date > today) {
    if (!isRealDate(y - 1, m, d)) return { ok: false, reason: "impossible" };
    date = ymd(y - 1, m, d);
  }
  if (c === undefined && yearless === "future" && date < today) {
    if (!isRealDate(y + 1, m, d)) return { ok: false, reason: "impossible" };
    date = ymd(y + 1, m, d);
  }
  return { ok: true, date };
}

/** Two-digit years are this century: practice records and children's birth dates are all after 2000. */
function expandYear(text: string): number {
  const n = Number(text);
  return text.length <= 2 ? 2000 + n : n;
}

/** Whether a token is shaped like a date, even an impossible one: used to tell dates from numbers. */
export function looksLikeDate(token: string): boolean {
  const word = token.toLowerCase();
  return (
    word === "today" || word === "yesterday" || word === "tomorrow" || ISO.test(token) || NUMERIC.test(token)
  );
}

/** ISO 8601 week of a day, `2026-W48`: weeks start on Monday and belong to the year of their Thursday. */
export function isoWeek(date: IsoDate): string {
  const n = dayNumber(date);
  const dow = (((n + 3) % 7) + 7) % 7; // Monday 0 … Sunday 6
  const thursday = fromDayNumber(n - dow + 3);
  const year = Number(thursday.slice(0, 4));
  const week = Math.floor((dayNumber(thursday) - dayNumber(`${thursday.slice(0, 4)}-01-01`)) / 7) + 1;
  return `${year}-W${String(week).padStart(2, "0")}`;
}

/** The Monday of a day's week. */
export function weekStart(date: IsoDate): IsoDate {
  const n = dayNumber(date);
  return fromDayNumber(n - ((((n + 3) % 7) + 7) % 7));
}

/** Offset of `timeZone` from UTC at an instant, in minutes (London in summer: 60). */
export function zoneOffsetMinutes(instant: Date, timeZone: string): number {
  let fmt = offsetFormats.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    offsetFormats.set(timeZone, fmt);
  }
  const p = Object.fromEntries(fmt.formatToParts(instant).map((x) => [x.type, x.value]));
  const asUtc = Date.UTC(
    Number(p.year),
    Number(p.month) - 1,
    Number(p.day),
    Number(p.hour),
    Number(p.minute),
    Number(p.second),
  );
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}
const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * The instant a wall-clock time happens in a zone (08:00 on a Monday in London). A time skipped by a
 * daylight-saving change has no instant; the caller checks with the cron matcher.
 */
export function zonedInstant(date: IsoDate, hour: number, minute: number, timeZone: string): Date {
  const [y, m, d] = parts(date);
  const wall = Date.UTC(y, m - 1, d, hour, minute);
  let t = wall - zoneOffsetMinutes(new Date(wall), timeZone) * 60_000;
  t = wall - zoneOffsetMinutes(new Date(t), timeZone) * 60_000;
  return new Date(t);
}
