/**
 * Bounded admission: how many requests may be in the middle of being served at once, after their
 * acknowledgement. One past the bound is told at once that the server is busy (`BUSY_TEXT`) and
 * nothing is done for it, rather than joining a queue whose answer would come after the person
 * gave up, or never (a Slack response_url lasts 30 minutes, a Teams turn 15 seconds).
 */
export interface Admission {
  /** a place, and the function that gives it back; undefined when all are taken */
  enter(): (() => void) | undefined;
  /** requests being served now */
  inFlight(): number;
}

/**
 * Requests served at once per surface by default: far more than the reader queue and the one
 * writing connection get through in a few seconds on 2 cores (bench: ~300 requests/s), so it is
 * reached only when a backlog would already miss the platforms' deadlines.
 */
export const DEFAULT_IN_FLIGHT = 256;

export function createAdmission(limit: number = DEFAULT_IN_FLIGHT): Admission {
  let inFlight = 0;
  return {
    enter() {
      if (inFlight >= limit) return undefined;
      inFlight++;
      let left = false;
      return () => {
        // Given back once, whatever calls it twice (a finally after an early return).
        if (left) return;
        left = true;
        inFlight--;
      };
    },
    inFlight: () => inFlight,
  };
}
