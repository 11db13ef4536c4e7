/** The API's numbers, in one place (the README quotes them). */
export const API_LIMITS = {
  /** entries in one POST /api/v1/practice */
  batch: 1_000,
  /** a request body: 1,000 entries with the longest notes (2,000 characters) fit */
  bodyBytes: 4 * 1024 * 1024,
  /** requests per client per window */
  requests: 120,
  windowMs: 60_000,
  /** items a paged read answers at most */
  page: 500,
} as const;
