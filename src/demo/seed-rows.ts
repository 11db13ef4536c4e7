import type { AbuseCode } from "../domain/abuse.ts";
import type { ServiceSlug } from "../domain/dashboards.ts";
import type { ElementKey } from "../domain/elements.ts";

/**
 * The seed document's sample rows (Jane Smith's cases), one pair per service dashboard, written down
 * as what was recorded. Readings of the document, also in the README:
 * - a "Yes" in a date column is an occurrence recorded without a date (`on: null`);
 * - in the overview table the values under "Word and Pictures" and "Network Provide number" are
 *   swapped (compare the family-support rows): the number is the network size;
 * - the statutory-cp Mary Telis row takes its values from the overview table, which has no meetings
 *   column (so none are recorded) and a Timeline and Trajectory date (kept, though statutory-cp does
 *   not show it: the overview does);
 * - "Safety Scale 2" and "Network Number 3" carry no date in the document, so neither do they here.
 */
export interface SeedRow {
  readonly id: string;
  readonly childName: string;
  readonly age: number;
  readonly openedOn: string;
  readonly service: ServiceSlug;
  readonly abuse: readonly AbuseCode[];
  readonly recorded: readonly {
    readonly element: ElementKey;
    readonly on: string | null;
    readonly value?: number;
  }[];
}

export const SEED_ROWS: readonly SeedRow[] = [
  {
    id: "12345",
    childName: "Melli Majid",
    age: 13,
    openedOn: "2016-02-03",
    service: "statutory-cp",
    abuse: ["N", "PA"],
    recorded: [
      { element: "mapping-internal", on: "2016-02-06" },
      { element: "three-houses", on: "2016-02-12" },
      { element: "danger-statement", on: null },
      { element: "safety-scale", on: null, value: 2 },
      { element: "words-and-pictures", on: "2016-02-27" },
      { element: "network", on: null, value: 3 },
      { element: "network-meeting", on: null },
    ],
  },
  {
    id: "12346",
    childName: "Mary Telis",
    age: 5,
    openedOn: "2015-06-12",
    service: "statutory-cp",
    abuse: ["FDV", "EA", "N"],
    recorded: [
      { element: "mapping-internal", on: "2015-06-19" },
      { element: "mapping-with-family", on: "2015-06-23" },
      { element: "three-houses", on: "2015-06-21" },
      { element: "danger-statement", on: null },
      { element: "safety-goal", on: null },
      { element: "safety-scale", on: null, value: 6 },
      { element: "trajectory", on: "2015-07-15" },
      { element: "words-and-pictures", on: null },
      { element: "network", on: null, value: 7 },
      { element: "child-safety-plan", on: "2015-11-23" },
    ],
  },
  {
    id: "22345",
    childName: "Melli Majid",
    age: 13,
    openedOn: "2016-01-03",
    service: "family-support",
    abuse: ["N", "PA"],
    recorded: [
      { element: "mapping-internal", on: null },
      { element: "three-houses", on: null },
      { element: "danger-statement", on: null },
      { element: "safety-goal", on: null },
      { element: "network", on: null, value: 2 },
    ],
  },
  {
    id: "22346",
    childName: "Mary Telis",
    age: 5,
    openedOn: "2015-06-12",
    service: "family-support",
    abuse: ["FDV", "EA", "N"],
    recorded: [
      { element: "mapping-internal", on: null },
      { element: "mapping-with-family", on: null },
      { element: "three-houses", on: null },
      { element: "danger-statement", on: null },
      { element: "safety-goal", on: null },
      { element: "words-and-pictures", on: null },
      { element: "network", on: null, value: 7 },
      { element: "adult-safety-plan", on: null },
    ],
  },
  {
    id: "32345",
    childName: "Melli Majid",
    age: 13,
    openedOn: "2016-01-03",
    service: "voluntary",
    abuse: [],
    recorded: [
      { element: "mapping-internal", on: "2016-01-06" },
      { element: "three-houses", on: "2016-01-18" },
      { element: "danger-statement", on: null },
      { element: "safety-goal", on: null },
      { element: "network", on: null, value: 2 },
    ],
  },
  {
    id: "32346",
    childName: "Mary Telis",
    age: 5,
    openedOn: "2015-06-12",
    service: "voluntary",
    abuse: [],
    recorded: [
      { element: "mapping-internal", on: "2015-06-19" },
      { element: "mapping-with-family", on: "2015-07-08" },
      { element: "three-houses", on: "2015-06-14" },
      { element: "danger-statement", on: null },
      { element: "safety-goal", on: null },
      { element: "words-and-pictures", on: "2015-09-24" },
      { element: "network", on: null, value: 7 },
      { element: "adult-safety-plan", on: "2015-08-17" },
    ],
  },
];

/** The demo's worker for the sample rows. */
export const SEED_WORKER = "jane.smith@demo-agency.example";
export const SEED_SUPERVISOR = "sam.okafor@demo-agency.example";
