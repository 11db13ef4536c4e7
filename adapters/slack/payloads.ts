import { z } from "zod";

/**
 * What our own buttons and forms carry, read with zod at the edge. Slack sends back whatever the
 * message held, so an old message or a crafted request is refused here, whole, before any command
 * is built from it; what passes is then checked again by the command's own schema.
 */

/** A JSON string holding `schema`. */
export function jsonOf<S extends z.ZodType>(schema: S) {
  return z
    .string()
    .transform((s, ctx): unknown => {
      try {
        return JSON.parse(s);
      } catch {
        ctx.addIssue({ code: "custom", message: "not JSON" });
        return z.NEVER;
      }
    })
    .pipe(schema);
}

/** A page button: the command typed, and the page to show. */
export const PageValue = jsonOf(z.object({ q: z.string().max(4000), p: z.number().int().nonnegative() }));

/** An Undo button: the entry's number. */
export const UndoValue = z.coerce.number().int().positive();

/** App Home's page buttons: the page number. */
export const HomePageValue = z.coerce.number().int().nonnegative();

/** What a modal carries between its steps (private_metadata). */
export const ModalMetaSchema = jsonOf(
  z.object({
    /** the slash command's response_url, so the confirmation lands where /sos was typed */
    r: z.string().optional(),
    /** the case chosen */
    c: z.string().optional(),
    /** the element chosen */
    e: z.string().optional(),
  }),
);

/** Reads a payload; undefined when it is not what our own message put there. */
export function read<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> | undefined {
  const r = schema.safeParse(raw);
  return r.success ? r.data : undefined;
}
