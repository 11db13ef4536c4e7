import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { consoleGreeting } from "../src/cli/greeting.ts";
import { JANE, makeTestCtx, type TestCtx } from "./helpers/ctx.ts";

/** What a worker typing on a phone between visits sees: the same reply as from a keyboard. */
let t: TestCtx;
beforeAll(() => {
  t = makeTestCtx();
});
afterAll(() => t.close());

describe("a phone's punctuation and digits", () => {
  test("12345. and 12345, are case 12345", async () => {
    const r = await t.run(JANE, "mapped-with-family 12345.");
    expect(r.text).toBe(
      [
        "Recorded Mapping with Family on 01/03/16 (today) for case 12345 (Melli Majid 13).",
        "The dashboard now shows Mapping with Family: 01/03/16.",
        "Wrong? `/sos undo` takes it back.",
      ].join("\n"),
    );
    expect((await t.run(JANE, "case 12346,")).text).toMatch(/^Case 12346: Mary Telis 5\n/);
  });

  test("Arabic-Indic digits: the case, the day and the rating are read as digits", async () => {
    const r = await t.run(JANE, "scale ١٢٣٤٥ ٦ ٢٩/٠٢/١٦");
    expect(r.text).toMatch(/^Recorded Safety Scale 6 on 29\/02\/16 for case 12345 \(Melli Majid 13\)\./);
    expect(r.logged).toMatchObject({ caseId: "12345", value: 6, occurredOn: "2016-02-29" });
  });

  test("Extended Arabic-Indic (Persian, Urdu) and full-width digits too", async () => {
    const persian = await t.run(JANE, "network ۲۲۳۴۵ ۴");
    expect(persian.text).toMatch(/^Recorded Network Provide number 4 on 01\/03\/16 \(today\) for case 22345/);
    const wide = await t.run(JANE, "three-houses ３２３４６ ２８／０２／１６");
    expect(wide.text).toMatch(/^Recorded My Three Houses on 28\/02\/16 for case 32346/);
  });

  test("a rating of ١١ is refused as 11, in the same words, and nothing is stored", async () => {
    const before = t.ctx.repo.events.forCase("12345").length;
    const r = await t.run(JANE, "scale ١٢٣٤٥ ١١");
    expect(r.text).toBe(
      "Safety Scale must be a whole number from 0 to 10, and you typed 11. Try `/sos scale 12345 6`.",
    );
    expect(t.ctx.repo.events.forCase("12345")).toHaveLength(before);
  });
});

describe("examples name cases that exist: the person's own", () => {
  const OWN = `
agency: { name: Hill Agency, timeZone: Europe/London }
teams: [{ id: hill, name: Hill Team }]
staff:
  - { email: kim@hill.example, name: Kim Lo, role: worker, team: Hill Team }
  - { email: lee@hill.example, name: Lee Ray, role: worker, team: Hill Team }
  - { email: sue@hill.example, name: Sue Day, role: supervisor, team: Hill Team }
`;
  let hill: TestCtx;
  beforeAll(async () => {
    hill = makeTestCtx({ config: OWN });
    const r = await hill.run("sue@hill.example", 'open H-204 "Ana Lima" 7 cp N kim@hill.example');
    expect(r.ok, r.text).toBe(true);
  });
  afterAll(() => hill.close());

  test("a log without its case: the example is one of the worker's own cases, never a made-up 12345", async () => {
    expect((await hill.run("kim@hill.example", "scale")).text).toBe(
      "Which case? Put the case id after scale, for example `/sos scale H-204 6`.",
    );
    expect((await hill.run("kim@hill.example", "three-houses 12/02")).text).toContain(
      "for example `/sos three-houses H-204`",
    );
    // the demo's Jane Smith holds 12345: hers is a real example there
    expect((await t.run(JANE, "scale")).text).toContain("for example `/sos scale 12345 6`");
  });

  test("a supervisor with no case of their own gets one of their team's", async () => {
    expect((await hill.run("sue@hill.example", "mapped-with-family")).text).toContain(
      "for example `/sos mapped-with-family H-204`",
    );
  });

  test("someone with no open case is shown where the case id goes, not somebody else's", async () => {
    const r = await hill.run("lee@hill.example", "scale");
    expect(r.text).toBe("Which case? Put the case id after scale, for example `/sos scale <case id> 6`.");
  });

  test("help log's examples use the person's own case", async () => {
    const help = (await hill.run("kim@hill.example", "help log")).text;
    expect(help).toContain("For example `/sos mapped-with-family H-204`, `/sos scale H-204 6`");
    expect(help).toContain("Record an element: `/sos <element> <case-id> [date] [value] [-- note]`");
    expect(help).not.toContain("12345");
  });

  test("the console's start-up lines suggest the person's own case", async () => {
    expect(await consoleGreeting(hill.ctx, hill.as("kim@hill.example"))).toContain(
      "             /sos mapped-with-family H-204",
    );
    expect(await consoleGreeting(t.ctx, t.as(JANE))).toContain("             /sos mapped-with-family 12345");
    const none = await consoleGreeting(hill.ctx, hill.as("lee@hill.example"));
    expect(none).toContain("             /sos help log");
    expect(none.join("\n")).not.toMatch(/mapped-with-family/);
  });
});
