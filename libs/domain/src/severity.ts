/** How grave a flag is, least to most: the queue sorts by it and a rule declares it. */
export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** How a queue of flags is ordered. */
export const QUEUE_ORDERS = ['priority', 'severity'] as const;
export type QueueOrder = (typeof QUEUE_ORDERS)[number];

/**
 * The queue's default order ("priority") gives each severity a share of every page in
 * these proportions, the strongest evidence of each severity first: a page holds up to
 * eight critical flags for every four high, two medium and one low. Ordered by severity
 * alone, a register with a few dozen high flags never shows its low ones on the first
 * page, and a prosecutor who reads only that page never learns they exist; a fixed share
 * keeps the gravest first without hiding the rest. The n-th strongest flag of a severity
 * comes at n / share, ties going to the graver severity.
 */
export const QUEUE_SEVERITY_SHARE: Readonly<Record<Severity, number>> = { critical: 8, high: 4, medium: 2, low: 1 };

/** The severities, gravest first: the order the queue and its filters read them in. */
export const GRAVEST_FIRST: readonly Severity[] = ['critical', 'high', 'medium', 'low'];

/**
 * Flags in the queue's priority order: within a severity by score (strongest first, then
 * id); across severities by rank / share, ties to the graver. The database orders pages the
 * same way (FlagRepository.list); this is the rule it is held to.
 */
export function inPriorityOrder<F extends { severity: Severity; score: number; id: string }>(flags: readonly F[]): F[] {
  const keyed = GRAVEST_FIRST.flatMap((severity, graverRank) =>
    flags
      .filter((f) => f.severity === severity)
      .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((flag, i) => ({ flag, key: (i + 1) / QUEUE_SEVERITY_SHARE[severity], graverRank, i })),
  );
  keyed.sort((a, b) => a.key - b.key || a.graverRank - b.graverRank || a.i - b.i);
  return keyed.map((k) => k.flag);
}
