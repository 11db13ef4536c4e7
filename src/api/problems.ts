import { STATUS_CODES } from "node:http";
import type { Response } from "express";
import type { IssueCode } from "../commands/issues.ts";

/**
 * RFC 9457 problem details. `type` is stable per problem code, so a client can branch on it; `detail`
 * is the plain sentence chat would give for the same slip. Batch refusals list every bad item.
 */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: string;
  /** a batch: each bad item by its index in `entries`, with its own code and sentence */
  readonly errors?: readonly ItemProblem[];
}

export interface ItemProblem {
  readonly index: number;
  readonly code: IssueCode | ApiProblemCode;
  readonly detail: string;
}

export const PROBLEM_TYPE = "urn:sos-dashboards:problem:";

/** The API's own problems, beside the commands' issue codes. */
export type ApiProblemCode =
  | "unauthorized"
  | "forbidden_scope"
  | "forbidden_team"
  | "bad_request"
  | "batch_invalid"
  | "batch_too_large"
  | "unknown_recorder"
  | "idempotency_key_reused"
  | "bad_idempotency_key"
  | "not_found"
  | "rate_limited"
  | "body_too_large";

/** The HTTP status of each command issue: what the client did wrong, or what stands in its way. */
const ISSUE_STATUS = {
  unknown_word: 422,
  missing_case: 422,
  bad_case_id: 422,
  missing_value: 422,
  value_out_of_range: 422,
  value_not_allowed: 422,
  bad_date: 422,
  impossible_date: 422,
  extra_words: 422,
  usage: 422,
  unknown_service: 422,
  unknown_abuse: 422,
  unknown_outcome: 422,
  unknown_dashboard: 422,
  unknown_help_topic: 422,
  too_long: 422,
  malformed: 422,
  unknown_case: 404,
  not_your_case: 403,
  not_your_team: 403,
  role_cannot: 403,
  not_on_dashboard: 422,
  future_date: 422,
  before_opened: 422,
  case_closed: 409,
  already_recorded: 409,
  nothing_to_undo: 409,
  unknown_entry: 404,
  already_undone: 409,
  case_exists: 409,
  case_erased: 409,
  unknown_person: 422,
  not_a_caseholder: 422,
  outside_team: 422,
  already_allocated: 409,
  already_closed: 409,
  already_open: 409,
  which_team: 422,
  unknown_team: 422,
  no_team_access: 403,
  bad_age: 422,
  adult: 422,
  dob_in_future: 422,
  needs_worker: 422,
  no_change: 409,
  has_dob: 409,
  born_after_opening: 422,
  practice_before: 409,
  same_service: 409,
} as const satisfies Record<IssueCode, number>;

const API_STATUS = {
  unauthorized: 401,
  forbidden_scope: 403,
  forbidden_team: 403,
  bad_request: 400,
  batch_invalid: 422,
  batch_too_large: 413,
  unknown_recorder: 422,
  idempotency_key_reused: 422,
  bad_idempotency_key: 400,
  not_found: 404,
  rate_limited: 429,
  body_too_large: 413,
} as const satisfies Record<ApiProblemCode, number>;

export function statusOf(code: IssueCode | ApiProblemCode): number {
  return (
    (ISSUE_STATUS as Record<string, number>)[code] ?? (API_STATUS as Record<string, number>)[code] ?? 400
  );
}

export function problem(
  code: IssueCode | ApiProblemCode,
  detail: string,
  extra: { errors?: readonly ItemProblem[] } = {},
): Problem {
  const status = statusOf(code);
  return {
    type: `${PROBLEM_TYPE}${code}`,
    title: STATUS_CODES[status] ?? "Error",
    status,
    detail,
    code,
    ...extra,
  };
}

export function sendProblem(res: Response, p: Problem): void {
  res.status(p.status).type("application/problem+json").send(JSON.stringify(p));
}

/** Every problem code, for the OpenAPI document's list of types. */
export const PROBLEM_CODES: readonly string[] = [...Object.keys(ISSUE_STATUS), ...Object.keys(API_STATUS)];
