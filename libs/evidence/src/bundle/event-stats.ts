import type { BundleEvent } from './bundle-input.js';

/** What the printable summary needs from the events, gathered while they stream past. */
export class EventStats {
  total = 0;
  readonly violations = new Set<string>();
  readonly chains = new Set<string>();
  readonly types = new Map<string, number>();
  /** Monday (UTC) of each week -> type -> count. */
  readonly weeks = new Map<string, Map<string, number>>();
  first: string | null = null;
  last: string | null = null;
  private readonly weekOfDay = new Map<string, string | null>();

  add(e: BundleEvent): void {
    this.total += 1;
    this.violations.add(e.event.violationRef);
    this.chains.add(e.chainId);
    const type = e.event.type;
    this.types.set(type, (this.types.get(type) ?? 0) + 1);
    const at = e.event.occurredAt;
    if (this.first === null || at < this.first) this.first = at;
    if (this.last === null || at > this.last) this.last = at;
    // Events cluster on few days: the week of a day is worked out once.
    const day = at.slice(0, 10);
    let week = this.weekOfDay.get(day);
    if (week === undefined) {
      week = mondayOf(at);
      this.weekOfDay.set(day, week);
    }
    if (week === null) return;
    const perType = this.weeks.get(week) ?? new Map<string, number>();
    perType.set(type, (perType.get(type) ?? 0) + 1);
    this.weeks.set(week, perType);
  }
}

export function mondayOf(iso: string): string | null {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return null;
  const d = new Date(t);
  const day = (d.getUTCDay() + 6) % 7;
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day)).toISOString().slice(0, 10);
}
