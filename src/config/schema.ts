import { z } from "zod";
import { isValidCron } from "../digest/schedule.ts";
import { ROLES } from "../domain/access.ts";
import { DASHBOARD_SLUGS, SERVICE_SLUGS } from "../domain/dashboards.ts";
import { isIsoDate, isValidDatePattern, isValidTimeZone } from "../domain/dates.ts";
import { ELEMENT_KEYS } from "../domain/elements.ts";
import { CHILD_AGE } from "../domain/names.ts";
import { STUCK_RULES } from "../domain/stuck.ts";

/**
 * `sos.config.yaml`, as written by an agency admin. Strict objects, so a misspelt key is an error
 * rather than a silently ignored setting. `load.ts` turns this into the resolved `Org`.
 */

const cron = z.string().refine(isValidCron, {
  message: 'must be a cron expression of five fields (minute hour day month weekday), e.g. "0 8 * * 1"',
});

const channels = z.strictObject({
  slack: z.string().min(1).optional(),
  teams: z.string().min(1).optional(),
});

/** A day of the calendar: `2026-02-30` and month 13 have the right shape and are still refused. */
const isoDate = z.string().superRefine((v, ctx) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v))
    ctx.addIssue({ code: "custom", message: "must be a date written YYYY-MM-DD" });
  else if (!isIsoDate(v))
    ctx.addIssue({
      code: "custom",
      message: `${v} is not a day of the calendar (check the month and the day)`,
    });
});

const digestSchedule = z.strictObject({
  team: cron.optional(),
  agency: cron.optional(),
  nudges: cron.optional(),
});

const agencyDigest = digestSchedule.extend({
  /** a week with no practice, no new and no closed cases: one line (default) or the full digest */
  quietWeeks: z.enum(["one-line", "full"]).optional(),
});

const team = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]*$/, { message: "must be lower-case letters, digits and dashes" })
    .optional(),
  name: z.string().min(1),
  channels: channels.optional(),
  digest: digestSchedule.optional(),
});

const staff = z.strictObject({
  email: z.email({ message: "must be an email address" }),
  name: z.string().min(1),
  role: z.enum(ROLES),
  team: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
  slackId: z.string().min(1).optional(),
  teamsId: z.string().min(1).optional(),
  away: z.array(z.strictObject({ from: isoDate, to: isoDate })).optional(),
});

/** One person, from the config's `staff:` or a row of the staff file. */
export type StaffInput = z.infer<typeof staff>;

const element = z.enum(ELEMENT_KEYS);
const style = z.enum(["date", "yesno", "value"]);
const column = z.union([element, z.literal("abuse")]);

const dashboardAdaptation = z.strictObject({
  title: z.string().min(1).optional(),
  relabel: z
    .partialRecord(z.union([column, z.literal("name"), z.literal("opened")]), z.string().min(1))
    .optional(),
  drop: z.array(column).optional(),
  add: z
    .array(
      z.strictObject({
        element,
        label: z.string().min(1).optional(),
        after: z.union([column, z.literal("name"), z.literal("opened")]).optional(),
        style: style.optional(),
      }),
    )
    .optional(),
  style: z.partialRecord(element, style).optional(),
});

const days = z.union([z.number().int().min(1).max(3650), z.literal("off"), z.literal(false)]);
const ruleDays = Object.fromEntries(STUCK_RULES.map((r) => [r, days.optional()])) as Record<
  (typeof STUCK_RULES)[number],
  z.ZodOptional<typeof days>
>;

const stuck = z.strictObject({
  ...ruleDays,
  dashboards: z.partialRecord(z.enum(SERVICE_SLUGS), z.strictObject(ruleDays)).optional(),
  /** a case stuck this many days past a rule is raised to the supervisor in the team digest */
  escalateAfterDays: z.number().int().min(1).optional(),
});

/** Backups: where, how many to keep, and when (cron in the agency's zone; off for none). */
const backup = z.strictObject({
  dir: z.string().min(1),
  keep: z.number().int().min(1).max(10_000).optional(),
  schedule: z.union([cron, z.literal("off"), z.literal(false)]).optional(),
});

/** How long closed cases are kept: after closing, and/or until a birthday of the child. */
const retention = z
  .strictObject({
    afterClosing: z
      .strictObject({
        years: z.number().int().min(0).max(150).optional(),
        months: z.number().int().min(0).max(1800).optional(),
      })
      .refine((p) => (p.years ?? 0) + (p.months ?? 0) > 0, { message: "needs years or months (more than 0)" })
      .optional(),
    afterBirthday: z.number().int().min(1).max(150).optional(),
  })
  .refine((r) => r.afterClosing !== undefined || r.afterBirthday !== undefined, {
    message: "needs afterClosing, afterBirthday or both",
  });

export const configSchema = z.strictObject({
  agency: z.strictObject({
    /** the id the database records it belongs to; default: the name in lower case with dashes */
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*$/, { message: "must be lower-case letters, digits and dashes" })
      .optional(),
    name: z.string().min(1),
    timeZone: z
      .string()
      .refine(isValidTimeZone, { message: "is not a known IANA time zone (e.g. Europe/London)" }),
  }),
  dates: z
    .strictObject({
      order: z.enum(["dmy", "mdy", "ymd"]).optional(),
      format: z
        .string()
        .refine(isValidDatePattern, {
          message: "must use dd or d, MM or M, and yy or yyyy once each (e.g. dd/MM/yy)",
        })
        .optional(),
    })
    .optional(),
  channelNames: z.enum(["full", "initials", "id"]).optional(),
  adultAge: z.number().int().min(1).max(CHILD_AGE.latest).optional(),
  outcomes: z
    .array(z.strictObject({ code: z.string().regex(/^[a-z0-9-]+$/), label: z.string().min(1) }))
    .min(1)
    .optional(),
  managers: z.strictObject({ channels: channels.optional() }).optional(),
  digest: agencyDigest.optional(),
  holidays: z.array(isoDate).optional(),
  teams: z.array(team).min(1),
  /** required unless `staffFile` names the staff (load.ts says so) */
  staff: z.array(staff).min(1).optional(),
  /** a CSV of staff (the HR export), relative to the config file; merged with `staff` */
  staffFile: z.string().trim().min(1).optional(),
  dashboards: z.partialRecord(z.enum(DASHBOARD_SLUGS), dashboardAdaptation).optional(),
  stuck: stuck.optional(),
  backup: backup.optional(),
  retention: retention.optional(),
});

export type ConfigFile = z.infer<typeof configSchema>;
