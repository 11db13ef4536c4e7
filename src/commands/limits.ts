import { CHILD_AGE } from "../domain/names.ts";

/**
 * The numbers the grammar, the schemas and the help all use: one place each, so a form, a button and
 * typed text are held to the same limits and the help says what is checked.
 */

/** `/sos snooze <case> [days]` */
export const SNOOZE_DAYS = { default: 7, min: 1, max: 90 } as const;

/** The oldest age any case can be opened with, whatever the config says (`adultAge`, default 18). */
export const AGE_MAX = CHILD_AGE.latest - 1;

/** Leave is recorded a year at a time. */
export const LEAVE_MAX_DAYS = 366;

/**
 * The longest a command line, a note and a child's name may be. A phone note runs to a few hundred
 * characters; anything near these is a paste gone wrong, and is refused before it is stored.
 */
export const MAX_LENGTH = { line: 4000, note: 2000, childName: 120 } as const;

/** An unknown word is echoed back at most this long. */
export const ECHO_MAX = 40;

/** How many times a command is decided again when another write got to its case first. */
export const CONFLICT_RETRIES = 5;
