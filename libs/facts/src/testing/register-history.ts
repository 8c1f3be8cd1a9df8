import type { LifecycleEvent } from '@qadaga/domain';
import { lifecycle } from './tiny-city.js';

const DAY_MS = 86_400_000;

/**
 * A register ("reg") that delivered notices about four years before `asOf` and only issues
 * them since: a profile that reads two years sees no deliveries, one that reads five does.
 */
export function registerThatStoppedDelivering(asOf: Date): { events: LifecycleEvent[]; daysAgo: (days: number) => string } {
  const daysAgo = (days: number) => new Date(asOf.getTime() - days * DAY_MS).toISOString();
  const register = { kind: 'system' as const, id: 'reg' };
  const camera = { kind: 'camera' as const, id: 'C1' };
  const events = [
    ...lifecycle('V-long-ago', [
      { type: 'detected', at: daysAgo(1500), source: 'cam', actor: camera },
      { type: 'notice_issued', at: daysAgo(1499), source: 'reg', actor: register, payload: { noticeNumber: 'N-1' } },
      { type: 'notice_delivered', at: daysAgo(1490), source: 'reg', actor: register },
    ]),
    ...lifecycle('V-lately', [
      { type: 'detected', at: daysAgo(40), source: 'cam', actor: camera },
      { type: 'notice_issued', at: daysAgo(39), source: 'reg', actor: register, payload: { noticeNumber: 'N-2' } },
    ]),
  ];
  return { events, daysAgo };
}
