/** One record of `sos start`'s log as pino wrote it (JSON, one per line). */
export interface LogRecord {
  readonly level: number;
  readonly msg: string;
  readonly component?: string;
  readonly reqId?: string;
  readonly [field: string]: unknown;
}

/** The records of a log as read from standard error; a line that is not JSON fails the test. */
export function logRecords(stderr: string): LogRecord[] {
  return stderr
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => {
      try {
        return JSON.parse(l) as LogRecord;
      } catch {
        throw new Error(`not a JSON log line: ${l}`);
      }
    });
}

/** What each record says, as the line read before the log was JSON ("config: reloaded …"). */
export function logMessages(stderr: string): string[] {
  return logRecords(stderr).map((r) => r.msg);
}
