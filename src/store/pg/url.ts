// Imports nothing: `sos` reads DATABASE_URL before loading any command, so this must cost nothing.

/** A `postgres://` URL as it may be shown: user, host, port and database, the password left out. */
export function shownUrl(url: string): string {
  try {
    const u = new URL(url);
    u.password = "";
    return u.toString();
  } catch {
    return "the DATABASE_URL given";
  }
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url.trim());
}
