/**
 * What a local platform recorder (test/slack/recorder.ts, test/teams/recorder.ts) has received, in
 * order. Both recorders keep their calls here, so tests read them the same way: `calls` for what was
 * sent, `waitFor` to wait for a call still to come (never a sleep).
 */
export class CallLog<C> {
  readonly calls: C[] = [];
  private waiters: { pred: (c: C) => boolean; resolve: (c: C) => void }[] = [];

  record(call: C): void {
    this.calls.push(call);
    this.waiters = this.waiters.filter((w) => {
      if (!w.pred(call)) return true;
      w.resolve(call);
      return false;
    });
  }

  /** The first call matching, already made or still to come; fails after `ms` (only when broken). */
  waitFor(pred: (c: C) => boolean, ms = 3000): Promise<C> {
    const hit = this.calls.find(pred);
    if (hit) return Promise.resolve(hit);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`recorder: no matching call within ${ms} ms`)), ms);
      this.waiters.push({
        pred,
        resolve: (c) => {
          clearTimeout(timer);
          resolve(c);
        },
      });
    });
  }
}
