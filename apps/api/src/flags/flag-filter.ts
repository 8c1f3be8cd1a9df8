import type { QueueFilters } from '@qadaga/contracts/api';
import type { FlagFilter } from '@qadaga/db';
import type { z } from 'zod';

/** The repository's filter from the queue's URL parameters: one reading for the list, its CSV export and saved views. */
export function flagFilterOf(q: z.infer<typeof QueueFilters>): FlagFilter {
  return {
    ...(q.rule === undefined ? {} : { ruleId: q.rule }),
    ...(q.scheme === undefined ? {} : { scheme: q.scheme }),
    ...(q.severity === undefined ? {} : { severity: q.severity }),
    ...(q.status === undefined ? {} : { status: q.status }),
    ...(q.subjectKind === undefined ? {} : { subjectKind: q.subjectKind }),
    ...(q.subject === undefined ? {} : { subjectId: q.subject }),
    ...(q.unit === undefined ? {} : { unit: q.unit }),
    ...(q.district === undefined ? {} : { district: q.district }),
    ...(q.camera === undefined ? {} : { camera: q.camera }),
    ...(q.from === undefined ? {} : { raisedFrom: new Date(q.from) }),
    ...(q.to === undefined ? {} : { raisedTo: new Date(q.to) }),
    ...(q.order === undefined ? {} : { order: q.order }),
  };
}
