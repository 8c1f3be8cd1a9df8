/** How grave a flag is, least to most: the queue sorts by it and a rule declares it. */
export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];
