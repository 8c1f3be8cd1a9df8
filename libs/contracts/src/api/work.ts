import { z } from 'zod';
import { CaseSummary } from './cases.js';
import { endpoint, type EndpointContract } from './endpoint.js';
import { WorkedFlag } from './flags.js';

/** One open flag given to the reader, as their list of work shows it. */
export const MyFlag = WorkedFlag.pick({ id: true, ruleId: true, scheme: true, severity: true, status: true, subjectKind: true, subjectId: true, explanation: true, unit: true, district: true, dueAt: true })
  .extend({ overdue: z.boolean() })
  .meta({ id: 'MyFlag' });
export type MyFlag = z.infer<typeof MyFlag>;

export const MyWork = z
  .object({
    /** Open flags (new, triaged) given to the reader: overdue first, then by due date, undated last. */
    flags: z.array(MyFlag),
    /** Open cases given to the reader, in the same order. */
    cases: z.array(CaseSummary),
    /** Flags and cases given to the reader that concern the officer or unit they are recused from: counted, never shown. */
    withheld: z.object({ flags: z.number().int(), cases: z.number().int() }),
  })
  .meta({ id: 'MyWork' });
export type MyWork = z.infer<typeof MyWork>;

export const workEndpoints = {
  mine: endpoint({
    method: 'GET',
    path: '/v1/me/work',
    tag: 'flags',
    access: ['prosecutor', 'admin'],
    summary: 'My work: the open flags and open cases given to me with their due dates, overdue first; what I am recused from is counted, not listed',
    response: MyWork,
  }),
} satisfies Record<string, EndpointContract>;
