import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  blockIn,
  buttonPress,
  dashboardCases,
  findButton,
  limitProblems,
  type SentView,
  type SlackHarness,
  startSlack,
  textOf,
  U,
  viewOf,
} from "./harness.ts";

let h: SlackHarness;
beforeAll(async () => {
  // Forms wait 100 ms (not 2 s) on a slow users.info, so the test of that case is quick.
  h = await startSlack({ options: { formWaitMs: 100 } });
});
afterAll(() => h.close());

const live = (caseId: string, element: string) => {
  const all = h.t.ctx.repo.events.forCase(caseId);
  const undone = new Set(all.map((e) => e.retractsId).filter((id) => id !== null));
  return all.filter((e) => e.element === element && e.retractsId === null && !undone.has(e.id));
};

let views = 0;

/** A view_submission of the view the app last drew, with these values typed in. */
function submission(
  user: string,
  view: SentView,
  values: Record<string, Record<string, unknown>>,
  id?: string,
) {
  return {
    type: "view_submission",
    team: { id: "T1", domain: "agency" },
    user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: "T1" },
    api_app_id: "A1",
    token: "unused",
    trigger_id: `sub-${++views}`,
    view: {
      id: id ?? `V${views}`,
      team_id: "T1",
      type: "modal",
      callback_id: view.callback_id,
      private_metadata: view.private_metadata ?? "",
      hash: "h1",
      title: { type: "plain_text", text: "x" },
      blocks: view.blocks,
      state: { values },
      app_id: "A1",
      bot_id: "BBOT",
      root_view_id: null,
      previous_view_id: null,
      clear_on_close: false,
      notify_on_close: false,
      close: null,
      submit: null,
    },
    response_urls: [],
  };
}

/** A pick in a modal's select that dispatches at once (dispatch_action). */
function pick(
  user: string,
  view: SentView,
  actionId: string,
  type: string,
  value: string,
  viewId = "VMODAL",
) {
  return {
    type: "block_actions",
    user: { id: user, username: user.toLowerCase(), team_id: "T1" },
    api_app_id: "A1",
    token: "unused",
    container: { type: "view", view_id: viewId },
    trigger_id: `pick-${++views}`,
    team: { id: "T1", domain: "agency" },
    view: {
      id: viewId,
      hash: `hash-${views}`,
      type: "modal",
      callback_id: view.callback_id,
      private_metadata: view.private_metadata ?? "",
      state: { values: {} },
      blocks: view.blocks,
    },
    actions: [
      {
        type,
        action_id: actionId,
        block_id: actionId === "case_pick" ? "case" : "element",
        selected_option: { text: { type: "plain_text", text: value }, value },
        action_ts: "1.4",
      },
    ],
  };
}

describe("Undo", () => {
  test("retracts exactly that entry, says so in place of the confirmation, and a double click is one undo", async () => {
    const logged = await h.command(U.jane, "mapped-internal 12346");
    const undo = findButton(logged.reply?.body.blocks, "sos_undo")!;
    const entryId = Number(undo.value);
    expect(live("12346", "mapping-internal").map((e) => e.id)).toContain(entryId);

    const first = await h.interact(
      buttonPress(U.jane, h.rec.responseUrl("undo1"), undo, "1456833600.000777"),
    );
    expect(first.status).toBe(200);
    await first.done;
    const said = h.replyTo("undo1")!;
    expect(said.body.replace_original).toBe(true);
    expect(said.body.text).toContain("Undone: Mapping Internal on 01/03/16 for case 12346.");
    expect(said.body.text).toContain("The entry stays in the case history, marked as undone.");
    expect(live("12346", "mapping-internal").map((e) => e.id)).not.toContain(entryId);

    const again = await h.interact(
      buttonPress(U.jane, h.rec.responseUrl("undo2"), undo, "1456833600.000777"),
    );
    await again.done;
    expect(textOf(h.replyTo("undo2")?.body.blocks)).toContain("This was sent twice");
    const retractions = h.t.ctx.repo.events.forCase("12346").filter((e) => e.retractsId === entryId);
    expect(retractions).toHaveLength(1);
    expect(h.rec.of("views.publish").some((c) => c.body.user_id === U.jane)).toBe(true);
  });

  test("an entry undone elsewhere is not undone twice, and the refusal leaves the confirmation alone", async () => {
    const logged = await h.command(U.jane, "child-plan 12346");
    const undo = findButton(logged.reply?.body.blocks, "sos_undo")!;
    await h.command(U.jane, "undo");
    const press = await h.interact(
      buttonPress(U.jane, h.rec.responseUrl("undo3"), undo, "1456833600.000888"),
    );
    await press.done;
    const said = h.replyTo("undo3")!;
    expect(said.body.replace_original).toBe(false);
    expect(said.body.text).toContain("was already undone by you");
  });
});

describe("paged dashboards", () => {
  test("a long dashboard is paged; Next shows the following page in place, with every case once", async () => {
    for (let i = 0; i < 130; i++) {
      const r = await h.t.run(
        "sam.okafor@demo-agency.example",
        `open P${1000 + i} "Kid Number${i} Test" 9 statutory-cp PA jane.smith@demo-agency.example 2016-02-01`,
      );
      expect(r.ok, r.text).toBe(true);
    }
    const first = await h.command(U.jane, "mine statutory-cp");
    const page1 = dashboardCases(first.reply?.body.blocks);
    expect(textOf(first.reply?.body.blocks)).toMatch(/page 1 of \d/);
    const next = findButton(first.reply?.body.blocks, "sos_page_next")!;
    expect(JSON.parse(next.value)).toEqual({ q: "mine statutory-cp", p: 1 });
    const press = await h.interact(buttonPress(U.jane, h.rec.responseUrl("page2"), next));
    await press.done;
    const second = h.replyTo("page2")!;
    expect(second.body.replace_original).toBe(true);
    const page2 = dashboardCases(second.body.blocks);
    const ids = [...page1, ...page2].map((c) => c.caseId);
    expect(new Set(ids).size).toBe(ids.length);
    // two pages need not hold them all now that a case takes two sections: page on to the end
    let call = second;
    for (let p = 3; findButton(call.body.blocks, "sos_page_next"); p++) {
      const more = await h.interact(
        buttonPress(U.jane, h.rec.responseUrl(`page${p}`), findButton(call.body.blocks, "sos_page_next")!),
      );
      await more.done;
      call = h.replyTo(`page${p}`)!;
      expect(limitProblems([call])).toEqual([]);
      ids.push(...dashboardCases(call.body.blocks).map((c) => c.caseId));
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(132);
    expect(findButton(second.body.blocks, "sos_page_prev")).toBeDefined();
    expect(limitProblems([first.reply!, second])).toEqual([]);
  });
});

describe("the log modal", () => {
  test("case search, then only that case's elements, then a number field for a rating", async () => {
    const r = await h.command(U.jane, "log");
    const opened = viewOf(h.rec.of("views.open").find((c) => c.body.trigger_id === `trig-${r.id}`));
    expect(opened.blocks.map((b) => b.block_id)).toEqual(["case", "date", "note"]);

    const search = async (user: string, value: string) => {
      const res = await h.interact({
        type: "block_suggestion",
        user: { id: user, name: user, team_id: "T1" },
        container: { type: "view", view_id: "VMODAL" },
        api_app_id: "A1",
        token: "unused",
        action_id: "case_pick",
        block_id: "case",
        value,
        team: { id: "T1", domain: "agency" },
        view: { id: "VMODAL", type: "modal", callback_id: "sos_log" },
      });
      return (res.json as { options: { text: { text: string }; value: string }[] }).options;
    };
    expect((await search(U.jane, "mm")).map((o) => o.text.text)).toEqual([
      "12345 · Melli Majid 13",
      "22345 · Melli Majid 13",
      "32345 · Melli Majid 13",
    ]);
    expect((await search(U.jane, "2234")).map((o) => o.value)).toEqual(["22345", "22346"]);
    expect(await search(U.alison, "")).toEqual([]);

    const p1 = await h.interact(pick(U.jane, opened, "case_pick", "external_select", "12345"));
    await p1.done;
    const withCase = viewOf(h.rec.of("views.update").at(-1));
    const update = h.rec.of("views.update").at(-1)!;
    expect(update.body.view_id).toBe("VMODAL");
    expect(update.body.hash).toMatch(/^hash-/);
    expect(JSON.parse(withCase.private_metadata!)).toEqual({ r: h.rec.responseUrl(r.id), c: "12345" });
    const elementBlock = blockIn<{
      element: { options: { text: { text: string } }[] };
    }>(withCase, "element");
    const labels = elementBlock.element.options.map((o) => o.text.text);
    expect(labels).toContain("Participatory Conferences/Meetings including Network");
    expect(labels).not.toContain("Timeline and Trajectory");
    expect(withCase.blocks.some((b) => b.block_id === "value")).toBe(false);

    const p2 = await h.interact(pick(U.jane, withCase, "element_pick", "static_select", "safety-scale"));
    await p2.done;
    const withValue = viewOf(h.rec.of("views.update").at(-1));
    const valueBlock = blockIn<{
      label: { text: string };
      element: { type: string; min_value: string; max_value: string };
    }>(withValue, "value");
    expect(valueBlock.label.text).toBe("Safety Scale (0–10)");
    expect(valueBlock.element).toMatchObject({ type: "number_input", min_value: "0", max_value: "10" });
    expect(limitProblems(h.rec.calls)).toEqual([]);
  });

  const formFor = async (caseId: string, element: string, responseUrl?: string): Promise<SentView> => {
    const meta = JSON.stringify({ ...(responseUrl ? { r: responseUrl } : {}), c: caseId, e: element });
    return {
      type: "modal",
      callback_id: "sos_log",
      private_metadata: meta,
      blocks: ["case", "element", "date", "value", "note"].map((block_id) => ({ type: "input", block_id })),
    };
  };
  const values = (o: { caseId: string; element: string; date: string; value?: string; note?: string }) => ({
    case: { case_pick: { type: "external_select", selected_option: { value: o.caseId } } },
    element: { element_pick: { type: "static_select", selected_option: { value: o.element } } },
    date: { date_pick: { type: "datepicker", selected_date: o.date } },
    value: { value_input: { type: "number_input", value: o.value ?? null } },
    note: { note_input: { type: "plain_text_input", value: o.note ?? null } },
  });

  test.each([
    ["a rating of 11", { value: "11" }, "value", "must be a whole number from 0 to 10"],
    ["no rating", { value: "" }, "value", "needs a number from 0 to 10"],
    ["a day in the future", { date: "2016-03-02" }, "date", "is in the future"],
    ["a day before the case opened", { date: "2016-01-01" }, "date", "is before case 12345 was opened"],
  ])(
    "submitting %s keeps the modal open with the error on its field, and stores nothing",
    async (_w, over, field, says) => {
      const before = live("12345", "safety-scale").length;
      const view = await formFor("12345", "safety-scale");
      const res = await h.interact(
        submission(
          U.jane,
          view,
          values({ caseId: "12345", element: "safety-scale", date: "2016-02-20", value: "6", ...over }),
        ),
      );
      expect(res.status).toBe(200);
      const body = res.json as { response_action: string; errors: Record<string, string> };
      expect(body.response_action).toBe("errors");
      expect(Object.keys(body.errors)).toEqual([field]);
      expect(body.errors[field]).toContain(says);
      expect(live("12345", "safety-scale")).toHaveLength(before);
    },
  );

  test("an element not on the case's dashboard is refused on the element field", async () => {
    const view = await formFor("12345", "trajectory");
    const res = await h.interact(
      submission(U.jane, view, values({ caseId: "12345", element: "trajectory", date: "2016-02-20" })),
    );
    expect((res.json as { errors: Record<string, string> }).errors.element).toContain(
      "is not on the Front end statutory child protection dashboard",
    );
  });

  test("a good submission closes the modal, confirms where /sos was typed with an Undo, once however often sent", async () => {
    const before = live("12345", "safety-scale").length;
    const view = await formFor("12345", "safety-scale", h.rec.responseUrl("modal-ok"));
    const payload = submission(
      U.jane,
      view,
      values({
        caseId: "12345",
        element: "safety-scale",
        date: "2016-02-20",
        value: "7",
        note: "Dad at the meeting",
      }),
      "VSAVE",
    );
    const res = await h.interact(payload);
    expect(res.status).toBe(200);
    expect(res.text).toBe("");
    await res.done;
    const said = h.replyTo("modal-ok")!;
    expect(said.body.text).toContain("Recorded Safety Scale 7 on 20/02/16 for case 12345 (Melli Majid 13).");
    expect(said.body.text).toContain('Note saved: "Dad at the meeting"');
    expect(findButton(said.body.blocks, "sos_undo")).toBeDefined();
    const stored = live("12345", "safety-scale").at(-1)!;
    expect(stored).toMatchObject({
      value: 7,
      occurredOn: "2016-02-20",
      note: "Dad at the meeting",
      surface: "slack",
    });

    const twice = await h.interact(payload);
    await twice.done;
    expect(live("12345", "safety-scale")).toHaveLength(before + 1);
  });

  test("when Slack is slow to say who someone is, the form answers in time with 'try again', then works", async () => {
    h.rec.users.set("USLOWJANE", { id: "USLOWJANE", email: "jane.smith@demo-agency.example" });
    const release = h.rec.hold("users.info");
    const view = await formFor("12345", "danger-statement");
    const v = values({ caseId: "12345", element: "danger-statement", date: "2016-02-21" });
    const slow = await h.interact(submission("USLOWJANE", view, v, "VSLOW"));
    expect((slow.json as { errors: Record<string, string> }).errors.case).toContain(
      "I couldn't check who you are",
    );
    release();
    const again = await h.interact(submission("USLOWJANE", view, v, "VSLOW"));
    expect(again.text).toBe("");
    await again.done;
    expect(h.rec.of("users.info").filter((c) => c.body.user === "USLOWJANE")).toHaveLength(1);
  });

  test("a form opened from App Home confirms by direct message", async () => {
    const view = await formFor("12346", "network");
    const res = await h.interact(
      submission(
        U.jane,
        view,
        values({ caseId: "12346", element: "network", date: "2016-02-25", value: "9" }),
        "VHOMEFORM",
      ),
    );
    await res.done;
    const dm = h.rec.of("chat.postMessage").find((c) => c.body.channel === `D${U.jane}`);
    expect(dm?.body.text).toContain("Recorded Network Number 9 on 25/02/16 for case 12346");
    expect(findButton(dm?.body.blocks, "sos_undo")).toBeDefined();
  });
});

describe("the open-case modal", () => {
  const openView = (): SentView => ({
    type: "modal",
    callback_id: "sos_open",
    private_metadata: "{}",
    blocks: ["case_id", "child_name", "age", "dob", "service", "abuse", "worker", "opened"].map(
      (block_id) => ({
        type: "input",
        block_id,
      }),
    ),
  });
  const values = (o: { id: string; name: string; age?: string; dob?: string; worker?: string }) => ({
    case_id: { case_id_input: { type: "plain_text_input", value: o.id } },
    child_name: { child_name_input: { type: "plain_text_input", value: o.name } },
    age: { age_input: { type: "number_input", value: o.age ?? null } },
    dob: { dob_pick: { type: "datepicker", selected_date: o.dob ?? null } },
    service: { service_pick: { type: "static_select", selected_option: { value: "family-support" } } },
    abuse: {
      abuse_pick: { type: "multi_static_select", selected_options: [{ value: "EA" }, { value: "N" }] },
    },
    worker: {
      worker_pick: {
        type: "static_select",
        selected_option: { value: o.worker ?? "alison.camp@demo-agency.example" },
      },
    },
    opened: { opened_pick: { type: "datepicker", selected_date: "2016-02-28" } },
  });

  test.each([
    ["no age and no date of birth", { id: "88001", name: "Tui Ora" }, "age", "age or date of birth"],
    [
      "a date of birth in the future",
      { id: "88001", name: "Tui Ora", dob: "2017-01-01" },
      "dob",
      "is in the future",
    ],
    ["a case id already used", { id: "12345", name: "Tui Ora", age: "4" }, "case_id", "already exists"],
    ["a case id with spaces", { id: "88 001", name: "Tui Ora", age: "4" }, "case_id", "is not a case id"],
    [
      "a manager as the worker",
      { id: "88001", name: "Tui Ora", age: "4", worker: "morgan.reyes@demo-agency.example" },
      "worker",
      "only workers and supervisors hold cases",
    ],
  ])("%s is refused on its field and opens nothing", async (_w, v, field, says) => {
    const res = await h.interact(submission(U.sam, openView(), values(v)));
    const body = res.json as { errors: Record<string, string> };
    expect(Object.keys(body.errors)).toEqual([field]);
    expect(body.errors[field]).toContain(says);
    if (v.id !== "12345") expect(h.t.ctx.repo.cases.get(v.id)).toBeUndefined();
  });

  test("a good one opens the case for the chosen worker and confirms by direct message", async () => {
    const res = await h.interact(
      submission(U.sam, openView(), values({ id: "88002", name: "Tui Ora", age: "4" }), "VOPEN"),
    );
    expect(res.text).toBe("");
    await res.done;
    expect(h.t.ctx.repo.cases.get("88002")).toMatchObject({
      childName: "Tui Ora",
      ageAtOpening: 4,
      service: "family-support",
      abuseTypes: ["EA", "N"],
      openedOn: "2016-02-28",
    });
    const dm = h.rec.of("chat.postMessage").find((c) => c.body.channel === `D${U.sam}`);
    expect(dm?.body.text).toContain(
      "Opened case 88002 (Tui Ora 4) on Statutory family support / preventative",
    );
    expect(dm?.body.text).toContain("allocated to Alison Camp");
  });
});

test("every message and view sent in this file kept to Slack's limits", () => {
  expect(h.rec.calls.length).toBeGreaterThan(0);
  expect(limitProblems(h.rec.calls)).toEqual([]);
});
