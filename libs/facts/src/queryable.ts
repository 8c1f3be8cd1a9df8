/** What fact providers need of a database: a pg Pool or client satisfies it. */
export interface Queryable {
  query<R extends object = Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
}

/** The time range a rule looks at, and where "local time" is judged. */
export interface FactWindow {
  from: Date;
  to: Date;
  timeZone: string;
}

export function windowEnding(asOf: Date, days: number, timeZone: string): FactWindow {
  return { from: new Date(asOf.getTime() - days * 86_400_000), to: asOf, timeZone };
}

/** Which subjects to compute: some ids (incremental evaluation) or every subject with activity (sweep). */
export type SubjectSelection = { ids: readonly string[] } | { all: true };

/**
 * Which facts the caller will read. A kind whose facts fall into groups of separate cost
 * (a unit's peak cancellation day and its completeness roll-ups; a source's id gaps and
 * its roll-ups) computes only the groups asked for and leaves the others' facts out,
 * rather than stating a zero it did not count. Everything when not said.
 */
export type FactNeed = (fact: string) => boolean;
export const EVERY_FACT: FactNeed = () => true;

/** The facts of `facts` outside the groups not needed: a group is kept when any of its facts is needed. */
export function onlyNeededGroups(facts: Record<string, unknown>, groups: readonly (readonly string[])[], needs: FactNeed): Record<string, unknown> {
  const dropped = groups.filter((g) => !g.some(needs)).flat();
  if (dropped.length === 0) return facts;
  const kept = { ...facts };
  for (const name of dropped) delete kept[name];
  return kept;
}

export interface SubjectFacts {
  id: string;
  facts: Record<string, unknown>;
}

/** Event ids shown as evidence are capped: the flag names the first ones, the bundle carries all. */
export const EVIDENCE_LIMIT = 200;

export function toNumber(value: string | number | null | undefined): number {
  return value === null || value === undefined ? 0 : Number(value);
}

/**
 * Evidence names an event by its source and id, the ledger's unique key, so the exact
 * row (and its hashes) is found through that index: "source|eventId".
 */
export function evidenceKey(source: string, eventId: string): string {
  return `${source}|${eventId}`;
}

export function parseEvidenceKey(key: string): { source: string; eventId: string } {
  const bar = key.indexOf('|');
  return bar < 0 ? { source: '', eventId: key } : { source: key.slice(0, bar), eventId: key.slice(bar + 1) };
}
