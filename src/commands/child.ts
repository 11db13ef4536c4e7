import { fullYears, type IsoDate } from "../domain/dates.ts";
import type { Invocation } from "./invocation.ts";
import type { Issue } from "./issues.ts";

/**
 * A case is for a child: the age at opening (given, or from the date of birth) must be under the
 * agency's `adultAge`. Opening and correcting a case both ask this.
 */
export function adultIssue(
  env: Invocation,
  child: { readonly age: number | null; readonly dob: IsoDate | null; readonly openedOn: IsoDate },
): Issue | null {
  const age = child.dob !== null ? fullYears(child.dob, child.openedOn) : child.age;
  const adultAge = env.ctx.org.adultAge;
  return age !== null && age >= adultAge ? { code: "adult", age, adultAge, born: child.dob } : null;
}
