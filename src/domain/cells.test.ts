import { describe, expect, test } from "vitest";
import { elementCell } from "./cells.ts";
import { formatDate } from "./dates.ts";
import { foldElement } from "./projection.ts";

const fmt = (d: string) => formatDate(d, "dd/MM/yy");
const ev = (id: number, occurredOn: string | null, value: number | null = null) => ({
  id,
  occurredOn,
  value,
});

describe("cells read like the seed", () => {
  test("nothing recorded is No, whatever the column", () => {
    expect(elementCell("dates", "date", undefined, fmt)).toBe("No");
    expect(elementCell("done", "yesno", undefined, fmt)).toBe("No");
    expect(elementCell("rating", "value", undefined, fmt)).toBe("No");
    expect(elementCell("count", "value", undefined, fmt)).toBe("No");
  });

  test("a tally shows how many were held, zero included", () => {
    expect(elementCell("tally", "value", undefined, fmt)).toBe("0");
    expect(elementCell("tally", "value", foldElement([ev(1, "2016-02-01"), ev(2, "2016-02-09")]), fmt)).toBe(
      "2",
    );
  });

  test("a date element shows its date; done several times, how many and the latest", () => {
    expect(elementCell("dates", "date", foldElement([ev(1, "2016-01-06")]), fmt)).toBe("06/01/16");
    const three = foldElement([ev(1, "2016-01-06"), ev(2, "2016-01-20"), ev(3, "2016-01-13")]);
    expect(elementCell("dates", "date", three, fmt)).toBe("3 times, last 20/01/16");
    // Three Houses, Timeline, Words and Pictures and the plans too, not only the mappings
    const four = foldElement([...[1, 2, 3].map((i) => ev(i, `2016-01-0${i}`)), ev(4, "2016-02-12")]);
    expect(elementCell("date", "date", four, fmt)).toBe("4 times, last 12/02/16");
    expect(elementCell("date", "date", foldElement([ev(1, null), ev(2, null)]), fmt)).toBe("2 times");
  });

  test("a scale rated several times shows the latest rating and how many; a network its latest size", () => {
    const rated = foldElement([ev(1, "2016-01-06", 3), ev(2, "2016-02-10", 6), ev(3, "2016-01-20", 4)]);
    expect(elementCell("rating", "value", rated, fmt)).toBe("6 (3 ratings)");
    expect(
      elementCell("count", "value", foldElement([ev(1, "2016-01-06", 3), ev(2, "2016-02-10", 7)]), fmt),
    ).toBe("7");
  });

  test("an occurrence recorded without a date shows Yes in a date column", () => {
    expect(elementCell("date", "date", foldElement([ev(1, null)]), fmt)).toBe("Yes");
  });

  test("a rating shows the latest by the day it happened, not the order it was typed", () => {
    const s = foldElement([ev(1, "2016-02-10", 6), ev(2, "2016-02-01", 2)]);
    expect(elementCell("rating", "value", s, fmt)).toBe("6 (2 ratings)");
  });

  test("Yes/No style hides dates, as on the family-support dashboard", () => {
    expect(elementCell("dates", "yesno", foldElement([ev(1, "2016-01-06")]), fmt)).toBe("Yes");
  });
});
