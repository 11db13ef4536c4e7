import { afterEach, describe, expect, test } from "vitest";
import { makeTestCtx, SAM, type TestCtx } from "../../test/helpers/ctx.ts";
import { boardViews, teamHolders } from "../commands/board.ts";
import type { Audience } from "../commands/invocation.ts";
import { OPERATOR, viewEnv } from "../commands/views.ts";
import { whiteboardModel } from "../digest/whiteboard.ts";
import { whiteboardHtml } from "./whiteboard-html.ts";

let t: TestCtx;
afterEach(() => t?.close());

async function page(audience: Audience, teamId = "north"): Promise<string> {
  const env = viewEnv(t.ctx, OPERATOR, "cli", audience);
  const dashboards = boardViews(
    env,
    t.ctx.repo.cases.open({ teamIds: [teamId] }),
    teamHolders(env, teamId),
    null,
  );
  return whiteboardHtml(await whiteboardModel(env, teamId), dashboards, { agency: t.ctx.org.agency.name });
}

describe("the printable whiteboard page", () => {
  test("one self-contained A4-landscape page: heatmap, totals, the seed's tables and legend", async () => {
    t = makeTestCtx();
    const html = await page("channel");
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain("<title>North Team whiteboard, 01/03/16</title>");
    expect(html).toContain("@page { size: A4 landscape;");
    expect(html).toContain("@media print");
    expect(html).not.toMatch(/<script|<link|src="http/); // nothing fetched, nothing run
    // the heatmap as inline SVG with real text, one piece for this small team
    expect(html.match(/<svg /g)?.length).toBe(1);
    expect(html).toContain(">Jane Smith&#39;s Cases</text>");
    // one table per service dashboard, grouped by worker as in the seed
    for (const title of [
      "Front end statutory child protection",
      "Statutory family support / preventative",
      "Voluntary preventative",
    ])
      expect(html).toContain(`<h2>${title}</h2>`);
    expect(html).toContain('<th class="group" colspan="16">Jane Smith&#39;s Cases</th>');
    expect(html).toContain("<td>12345</td><td>M.M. 13</td><td>03/02/16</td><td>N &amp; PA</td>");
    expect(html).toContain("<b>*Abuse Type</b> PA: Physical Abuse");
    expect(html).toContain("most often male violence");
    expect(html).toContain("Children are shown by initials and age.");
  });

  test("a channel page never has a full name; a private one says to keep it secure", async () => {
    t = makeTestCtx();
    expect(await page("channel")).not.toMatch(/Melli|Majid|Mary|Telis/);
    const html = await page("private");
    expect(html).toContain("Melli Majid 13");
    expect(html).toContain("Contains children&#39;s full names: keep it secure");
  });

  test("a hostile name is escaped everywhere on the page", async () => {
    t = makeTestCtx();
    expect((await t.run(SAM, `open 90002 "</td><script>alert('x')</script> & <b>Co" 7 cp`)).ok).toBe(true);
    const html = await page("private");
    expect(html).not.toContain("<script");
    expect(html).not.toContain("<b>Co");
    expect(html).toContain("&lt;/td&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;b&gt;Co 7");
  });

  test("a long team is cut into pieces that fit a page, a long group continued", async () => {
    t = makeTestCtx();
    for (let i = 0; i < 45; i++)
      expect((await t.run(SAM, `open ${80000 + i} "Child ${i}" 4 cp`)).ok).toBe(true);
    const html = await page("channel");
    // 6 + 2 empty groups in the first piece; Sam's 45 cases in 30 and 15
    expect(html.match(/<svg /g)?.length).toBe(3);
    expect(html).toContain(">Sam Okafor&#39;s Cases (continued)</text>");
  });

  test("an empty team still makes a page", async () => {
    t = makeTestCtx({
      config: `
agency: { name: Empty Agency, timeZone: Europe/London }
teams: [{ id: new, name: New Team }]
staff: [{ email: s@e.example, name: Sol Supervisor, role: supervisor, team: New Team }]
`,
    });
    const html = await page("channel", "new");
    expect(html).toContain("0 open cases");
    expect(html).toContain("No open cases and no workers in this team.");
  });
});
