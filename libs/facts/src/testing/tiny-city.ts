import type { LifecycleEvent, ReferenceData } from '@qadaga/domain';

/** A tiny city for the facts' and detection's tests: one unit, a few officers, and hand-written lifecycles. */
export const TINY_REFERENCE: ReferenceData = {
  sources: [
    { code: 'cam', name: 'Cameras', kind: 'camera' },
    { code: 'desk', name: 'Review desk', kind: 'review' },
    { code: 'reg', name: 'Register', kind: 'register' },
    { code: 'tre', name: 'Treasury', kind: 'treasury' },
  ],
  officers: ['O1', 'O2', 'O3', 'O4', 'O5', 'S1'].map((id) => ({
    id,
    unit: 'AP-1',
    role: id.startsWith('S') ? ('supervisor' as const) : ('reviewer' as const),
    shift: { days: [1, 2, 3, 4, 5, 6, 7], startHour: 0, endHour: 24 },
    absences: [],
  })),
  vehicles: [{ plate: '111AAA02', kind: 'private' }],
  cameras: [{ id: 'C1', district: 'Almaly', lat: 43.25, lon: 76.93 }],
  dispatches: [],
};

let n = 0;
export function lifecycle(ref: string, steps: { type: LifecycleEvent['type']; at: string; source: string; actor: LifecycleEvent['actor']; payload?: Record<string, unknown>; recordedAt?: string }[]): LifecycleEvent[] {
  return steps.map((s) => {
    n += 1;
    return {
      source: s.source,
      eventId: `${ref}-${n}`,
      violationRef: ref,
      type: s.type,
      occurredAt: new Date(s.at).toISOString(),
      ...(s.recordedAt === undefined ? {} : { recordedAt: new Date(s.recordedAt).toISOString() }),
      actor: s.actor,
      payload: (s.payload ?? (s.type === 'detected' ? { article: '592.1', plate: '111AAA02', cameraId: 'C1', fine: { amount: 7384 } } : {})) as never,
    } as LifecycleEvent;
  });
}
