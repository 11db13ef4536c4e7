/** `sos --help` and `sos <command> --help`. Kept beside each other so they stay consistent. */
export const MAIN_HELP = `sos: Signs of Safety practice dashboards (Slack, Microsoft Teams and a local console)

Usage: sos <command> [options]

Commands:
  start       run the bot: HTTP server (Slack, Teams, /healthz, /readyz, /metrics) and a console chat
  chat        run chat commands from standard input as one person
  demo        create a database holding the demo agency and the seed's sample cases
  dashboard   print a dashboard as text, CSV or JSON
  stuck       print stuck cases and why
  digest      run a digest now (or show it with --dry-run), and see what was posted when
  export      write a dashboard to a file (CSV, a printable whiteboard, its picture), or with
              --case everything held about one child (subject access, JSON or HTML)
  audit       who did what, when and from where: by case, person or date, as text, CSV or JSON
  import      bring in a case list or a practice history from a CSV file, all or nothing
  migrate     create or update the database schema (backing it up first), and sync the staff
  sync        write the config's teams and staff into the database, and say what changed
  backup      copy the database while it runs, check the copy; status: the last good one, failures
  restore     replace the database with a checked backup (refused while a server holds it)
  retention   list the closed cases the config's retention policy says are due; --apply removes them
  erase       remove one case's records now (a court order, a case opened in error)
  config      check the config and staff file as the running app would, and how its last reload went
  api-client  add, list or revoke the systems allowed to call the HTTP API (/api/v1), with their tokens
  migrate-store  copy an agency from its SQLite file into an empty PostgreSQL database, checked

Every command finds its files the same way:
  config    SOS_CONFIG, else ./sos.config.yaml, else examples/demo.config.yaml
  database  SOS_DB, else ./data/sos.db (the folder is created); DATABASE_URL=postgres://… puts the
            records on PostgreSQL instead, where start, migrate, chat, dashboard, stuck, digest,
            export (also --case), erase, retention, import, audit, sync, api-client, config check
            and demo run (the rest refuse, naming those that do); migrate-store copies a SQLite
            file onto it
  today     --today YYYY-MM-DD or SOS_TODAY act as if it were that day (demos, tests)
A database another process is writing is waited for up to SOS_BUSY_TIMEOUT_MS (default 30000 ms);
then the command says so and exits 1, having done nothing.

A database belongs to one agency (config agency.id): a config for another agency is refused before
anything is written. Only start, migrate, sync and demo set up the database and sync the staff;
dashboard, stuck, export (not --case), digest status, digest run --dry-run, backup status and
retention --dry-run open it read-only. Records leave the database only through retention --apply
and erase, each audited.

Run \`sos <command> --help\` for a command's options.`;

export const HELP: Readonly<Record<string, string>> = {
  start: `Usage: sos start [--today YYYY-MM-DD] [--accept-staff-changes]

Runs the bot: an HTTP server on HOST:PORT (default 127.0.0.1:3978, this machine only) with
GET /healthz, /readyz, /metrics, the Slack and Teams routes, and the HTTP API under /api/v1 (for
the clients \`sos api-client add\` makes; none added, every request is refused). Before anything
else it reads .env in the folder it runs in, when there is one (never overriding a variable already
set), and says so. First it sets up the database as \`sos migrate\` does:
migrations, the agency check, the staff sync (it says what changed, and lists people no longer in
the config who still hold open cases); a sync marking a quarter or more of the staff, or a whole
team, as gone needs --accept-staff-changes. While it runs, a change to the config or to the staff
file it names (staffFile), or SIGHUP, reloads them without a restart: checked as at start (plus the
same agency and time zone, and the staff guard), then applied in one transaction and logged on
standard error ("config: reloaded …: 2 people added, North Team's supervisor changed"); one that
fails is logged in one line, the running config stays, and \`sos config check\` shows why.
With no Slack or Teams credentials at all it runs in local mode:
  - POST /api/messages answers Microsoft Teams without tokens, for the Agents Playground:
      npx agentsplayground -e http://127.0.0.1:3978/api/messages -c msteams
    only when HOST is a loopback address and NODE_ENV is not production, only to a connector on
    this machine, and knowing people by their config teamsId alone;
  - when standard input is a terminal, a console chat as the first worker in the config
    (:as <email> switches person, :quit leaves); otherwise it keeps serving until stopped;
  - with the demo config and a new database, it first loads the demo data (see \`sos demo\`); the
    demo agency runs on a calendar starting 2016-03-01, the time of its sample cases, unless
    SOS_TODAY or --today says otherwise.
Credentials are all or nothing: a Slack or Teams variable set without its partner stops start
with one sentence naming the missing one.
Microsoft Teams (docs/teams.md):
  TEAMS_APP_ID         the bot's Microsoft Entra application (client) id; when set, every
                       request to /api/messages must carry a valid Microsoft token
  TEAMS_CLIENT_SECRET  that app's client secret, to send replies and posts
  TEAMS_TENANT_ID      the Entra tenant id, for a single-tenant bot
Slack (docs/slack.md) is served when these are set:
  SLACK_BOT_TOKEN       the bot token, xoxb-… (always needed for Slack)
  SLACK_SIGNING_SECRET  HTTP mode: Slack posts to POST /slack/events, signed with this secret
  SLACK_APP_TOKEN       Socket Mode instead: an xapp-… token; the bot connects out to Slack
  SLACK_API_URL         optional Web API base URL (default https://slack.com/api/)
If Slack can't be reached the bot still starts, logs one line and keeps trying.
Backups: with backup.schedule in the config (cron, agency time zone) it runs \`sos backup\` on that
schedule, and once at start-up when the last scheduled time passed with no good backup since; a
failure is one line on standard error and is kept for \`sos backup status\`. Before migrating a
database that holds records it copies it first (into backup.dir, else beside the database) and says
where. While it runs it holds <database>.lock, so \`sos restore\` and a second start refuse.
Dashboards, stuck lists, App Homes and digests are built on reader threads with their own read-only
connections (SOS_READERS, default one per core beyond the first; 0 builds them on the main thread;
SOS_READER_HEAP_MB bounds each one's heap, default 192);
when more is asked than it can serve soon, the person is told it is busy and to try again in a minute.
Logs and health:
  The log is on standard error: one JSON record a line (pino: level, time, component, message;
  each HTTP request's lines carry its id, also sent back as X-Request-Id), or lines for a person
  on a terminal. Never a child's name, a note or a token.
  LOG_LEVEL     trace, debug, info (default), warn, error, fatal or silent
  LOG_FORMAT    json or pretty (default: pretty on a terminal, json otherwise)
  GET /healthz  the process is up (cheap); GET /readyz 200 when the database answers and takes a
                write and each platform is ready, else 503 with JSON naming what is not and why
  GET /metrics  Prometheus: commands by kind and outcome, ack latency per platform, digest runs,
                backup age, database size, event-loop delay and Node's own
  METRICS_PORT  serve /metrics on a port of its own instead (METRICS_HOST, default 127.0.0.1)
Environment: HOST, PORT, SOS_CONFIG, SOS_DB, DATABASE_URL (PostgreSQL: see sos --help), SOS_TODAY, SOS_BUSY_TIMEOUT_MS, SOS_READERS, SOS_READER_HEAP_MB, LOG_LEVEL,
LOG_FORMAT, METRICS_PORT, METRICS_HOST, and the Slack and Teams variables above (.env.example lists
them all).`,
  chat: `Usage: sos chat --as <email> [--today YYYY-MM-DD]

Reads one command per line from standard input, as the staff member with that email, and prints
each reply followed by a blank line. Lines may start with /sos or not; empty lines and lines
starting with # are skipped. Exits 0 at the end of input; 2 for a usage error such as an unknown --as;
1 if a line met a database another process held past SOS_BUSY_TIMEOUT_MS (default 30 s): that
line's reply says so, and the lines after it still run. It records what the commands say but does
not sync the staff: someone added to the config since the last \`sos sync\` is not known yet.`,
  demo: `Usage: sos demo [--db PATH] [--today YYYY-MM-DD]

Creates a database holding the demo agency (examples/demo.config.yaml) and the seed document's
sample rows as Jane Smith's cases: 12345/12346 statutory-cp, 22345/22346 family-support,
32345/32346 voluntary. Refuses a database that already holds cases or belongs to another agency.
With DATABASE_URL set, fills that empty PostgreSQL database the same way (--db is then refused).`,
  dashboard: `Usage: sos dashboard [--worker EMAIL | --team NAME | --agency]
                     [--dashboard overview|statutory-cp|family-support|voluntary]
                     [--format text|csv|json] [--as EMAIL] [--today YYYY-MM-DD]

Prints one dashboard, grouped by worker as in the seed. Scope: one worker's cases, a team's, or the
whole agency (the default; with --as, that person's own view). --dashboard defaults to overview.
--as EMAIL applies the same visibility rules as chat. JSON: {"dashboard","title","columns","groups":
[{"worker","title","rows":[{"caseId","cells"}]}]} with cells exactly as the text table shows them.
Reads only: the database is opened read-only (see \`sos --help\`).`,
  audit: `Usage: sos audit [--case ID] [--staff EMAIL] [--since YYYY-MM-DD] [--format text|csv|json]

Prints the audit trail in order: every entry (undone ones too), correction, move, transfer, close,
reopen, snooze and import, with who did it, when and from which surface (chat, button, form, cli,
import). It holds ids and codes only: no child's name or note is ever in it.
Reads only: the database is opened read-only.`,
  import: `Usage: sos import cases FILE.csv --as ADMIN_EMAIL [--dry-run] [--update] [--today YYYY-MM-DD]
       sos import practice FILE.csv --as ADMIN_EMAIL [--dry-run] [--today YYYY-MM-DD]
       sos import cases --template | sos import practice --template

Brings an agency's existing records in from CSV (UTF-8 with or without a BOM; comma or semicolon,
read from the header line; quoted values may hold line breaks; CRLF or LF). Every row is checked
first, with the same readers and checks as chat (dates as chat takes them or ISO, services, abuse
types, outcomes, element words); if any row is wrong nothing is written, every bad row is listed
("row 17, date_opened: "31/02/16" is not a date", row numbers as a spreadsheet shows them) and the
exit code is 1. It is all one transaction. Importing the same file again writes nothing: what the
record has is "already there".
cases     columns (any case, any order): case_id, child_name, date_of_birth and/or age, service,
          abuse_types, date_opened, worker_email; for a closed case also date_closed, outcome and
          optionally closing_note (it is opened, then closed). A case already in the record whose
          details differ is an error naming the field, unless --update, which records each
          difference as /sos edit would (name, date of birth, age, date opened, abuse types), a
          service change as /sos move, and a close as /sos close. Transfers and reopens stay chat's.
practice  columns: case_id, element, date, value, note, recorded_by (the email of anyone on the staff
          now or before). An empty date is an entry without a date (it shows as Yes). The same case,
          element, date, value and recorder already in the record is "already there".
--as        the admin importing; the audit names them, each entry keeps its recorded_by
--dry-run   check the file and say what would happen; the database is opened read-only
--template  print the columns and one example row, for this agency's date format
Imported entries have the surface "import": /sos undo takes back only what someone typed, so an
imported entry is undone by its number (/sos undo #<entry>). While a large import writes, the bot's
own writes wait for it (20,000 cases and 200,000 entries take seconds; see the README).`,
  stuck: `Usage: sos stuck [--team NAME] [--format text|json] [--today YYYY-MM-DD]

Prints the stuck cases (whole agency, or one team), each with the rules it breaks and days stuck.
Reads only: the database is opened read-only.`,
  digest: `Usage: sos digest run <team name | agency | nudges <team name>> [--dry-run] [--at ISO-DATETIME] [--force]
       sos digest status [--limit N]

run     posts the digest now to every configured platform (Slack, Teams), as the schedule would;
        a digest already posted this period is not posted again (it says when it was) unless --force.
        One that stopped part-way (the process ended, or a platform failed) goes on from its first
        part not posted, in the same thread; one still being posted by another process is left to it.
        --dry-run prints it without posting or recording; --at sets the moment (its week, its "as of" day).
status  the latest runs (posted, late, failed and why, parts posted, sends), which are still
        posting in another process and which stopped while posting (they resume), and the next
        scheduled times.
Schedules (config digest / teams[].digest): team digest Monday 08:00, agency summary Monday 09:00,
nudges weekdays 09:00, in the agency's time zone; \`sos start\` runs them and catches up missed ones.
Stopped (SIGTERM, Ctrl+C) while posting, \`sos start\` posts nothing more once the part being sent
is answered (it waits up to 12 s); the next start posts the rest.
status and run --dry-run read only (the database is opened read-only); run records in the ledger.`,
  export: `Usage: sos export --format csv|html|png [--team NAME] --out FILE [--today YYYY-MM-DD]
       sos export --case ID [--format json|html] --out FILE --as ADMIN-EMAIL

csv   the overview dashboard (a team's, or the whole agency's without --team), one row per case;
      UTF-8 with a byte order mark (Excel shows accented names), a last row without a case id
      explaining the "–" cells
html  a printable whiteboard page for a team: its dashboards and the heatmap
png   the team's whiteboard picture (cases × elements: done, not done, stuck)
Files hold children's full names: they are written readable by their owner only (0600); keep
them where case records are kept. Reads the database only.


--case  a subject-access export: everything held about one child (the case and every correction,
        allocations, every entry including undone ones with notes, closes and reopens, the audit
        lines, reminders, and the team digests posted while it was open in its team, with how exact
        that is). json (default) is the documented shape "sos-subject-access/1"; html is one
        self-contained page to print. Admins only; the file is mode 0600 and appears only once the
        export is recorded in the audit trail.`,
  "migrate-store": `Usage: sos migrate-store --from sqlite:FILE [--to postgres://USER@HOST:PORT/DB]

Copies an agency from its SQLite file onto PostgreSQL (the target is DATABASE_URL when --to is not
given; its password is never shown). Stop the server using the file first: what it records after the
copy began is not copied, so a file a running \`sos start\` (or restore) holds the lock of is refused,
naming that process, and the lock is held while copying. The file is opened read-only and must be at this version's schema (run
\`sos migrate\` on it first); the target is migrated, and refused if any table holds a row. Then every
table is copied in one PostgreSQL transaction, and before it commits every table's rows are counted
on both sides, every case's dashboard state is folded again from its entries and the coverage counts
counted again from the cases: any difference rolls the whole copy back (exit 1, nothing written).
Prints each table's rows and the seconds taken, and what to do next: set DATABASE_URL, start.`,
  migrate: `Usage: sos migrate [--accept-staff-changes]

Creates the database if needed and applies any migrations not yet applied, then records its agency
(a new database, or one made before agencies were kept) or checks it against the config's, and syncs
the config's staff as \`sos sync\` does. start does all of this too. A database that holds records
and needs migrating is first copied and checked (into backup.dir, else beside the database:
<agency>-before-migration-<time>.db, mode 0600, never pruned); if that fails, nothing is migrated.`,
  sync: `Usage: sos sync [--accept-staff-changes] [--dry-run]

Writes the config's teams and staff into the database and says what changed ("2 people added,
1 left the config, North Team renamed (was Northern Team)"). People and teams that leave the config are kept as
inactive, never deleted; anyone who left still holding open cases is listed, to reallocate with
/sos assign. A sync that would mark a quarter or more of the active staff, or every member of a
team, as gone is refused unless --accept-staff-changes is given: that is what a wrong config looks
like. A config for another agency is refused. --dry-run says what would change and writes nothing.
A running \`sos start\` reloads a changed config by itself; when its reload was refused by that
guard, accept with this command, then send the app SIGHUP (kill -HUP <pid>) to reload it.`,
  backup: `Usage: sos backup [--out FILE]
       sos backup status [--limit N]

backup   copies the database with SQLite's online backup, while the server keeps running, into
         --out FILE (never overwritten), or without --out into the config's backup.dir as
         <agency>-<UTC time>.db, keeping the newest backup.keep there. The copy is one file, mode
         0600, checked before it is kept: SQLite's integrity check, every entry the database held
         when the copy began is in it, and every case's dashboard equals a rebuild from its entries.
         A copy that fails is removed and the failure recorded; exit 1.
         (--scheduled marks it as the schedule's: what \`sos start\` runs.)
status   the last good backup and its age, failures since and why, the recent runs, the folder and
         the schedule's next time (and a backup it missed). Reads only.
Config: backup: { dir, keep (default 14), schedule (cron in the agency's zone, default "0 2 * * *",
or off) }. The backup ledger is in the database, so \`sos backup\` records as well as reads.`,
  restore: `Usage: sos restore FILE [--force]

Replaces the database (SOS_DB) with a backup. First it checks FILE as \`sos backup\` checks a copy
(integrity, entries, every dashboard against a rebuild): a file that fails is never restored. It
refuses, changing nothing,
  - while a server holds the database (a running \`sos start\` holds an operating-system lock on
    <database>.lock; stop it, then restore);
  - a backup of another agency (its recorded agency.id is not the config's), unless --force;
  - when the database there holds cases, unless --force.
The database it replaces is never deleted: it is moved aside as <database>.replaced-<time>, one
file, mode 0600. The restored database is mode 0600 and its audit trail says where it came from; one
made by an earlier version is brought up to date by the next \`sos start\` or \`sos migrate\`.`,
  retention: `Usage: sos retention [--dry-run] [--today YYYY-MM-DD]
       sos retention --apply --as ADMIN-EMAIL [--today YYYY-MM-DD]

--dry-run (the default) lists the closed cases the config's retention policy says are due for
removal: case id, the day it closed, the day it became due and why. No names; changes nothing.
--apply removes each of those cases through the one audited erasure path: the case, its entries,
corrections, allocations, closes, audit lines, snoozes and reminders go, the replies kept for
platform retries that mention it are blanked, and one audit line stays ("case 12345: removed under
retention on …, by …") with counts only. Each case in its own transaction, checked again inside it
(a case reopened since is kept). Admins only; never from chat.
Config: retention: { afterClosing: { years, months }, afterBirthday: N }: kept until every rule
given has passed. A birthday worked out from the age at opening is the latest it can be.`,
  erase: `Usage: sos erase --case ID --as ADMIN-EMAIL --reason "…" [--today YYYY-MM-DD]

Removes one case's records now, open or closed (a court order, a case opened in error), through
the same audited path as \`sos retention --apply\`. The reason is kept with the record of the
erasure after the case is gone, so it must not name the child (refused if it does): give a
reference. Admins only; never from chat. Backups made before still hold the case until pruned.`,
  config: `Usage: sos config check

Checks the config and the staff file it names (staffFile) as the running app would before
reloading them: every problem, each with its key or its file row and column (staff.csv row 7,
role: …); the agency the database belongs to; while \`sos start\` runs, the time zone it started
with; and the staff guard (a quarter or more of the staff, or a whole team, marked as gone). Then
says whether a \`sos start\` is running on the database, and whether its last reload was applied
(what changed) or refused (why: it runs the config it had before). On PostgreSQL (DATABASE_URL),
every running instance is listed, each with its pid, host and own last reload. Reads only: the
database is opened read-only. Exits 0 when the files can be used as they are, 1 when not.`,
  "api-client": `Usage: sos api-client add NAME --scopes SCOPE[,SCOPE…] [--team TEAM]…
       sos api-client list
       sos api-client revoke NAME

The systems allowed to call the HTTP API that \`sos start\` serves under /api/v1 (a case-recording
system, a data team's reporting job). add prints the client's token once: only a SHA-256 hash of it
is kept, so a lost token is revoked and a new client added. Every request carries it as
"Authorization: Bearer <token>".

Scopes: practice:write (POST /api/v1/practice), cases:write (open, correct, move, transfer and close
cases), cases:read (a case's details and history), dashboards:read (dashboards, stuck, coverage).
--team (repeatable) limits the client to those teams' cases; without it, every team.
NAME: lower-case letters, digits and dashes; entries it writes show the surface api:NAME.
revoke stops the token at once; the client's row stays for the audit (its name is not reused).
add and revoke are audited; list reads only.`,
};
