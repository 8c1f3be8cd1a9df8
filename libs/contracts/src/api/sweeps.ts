import { z } from 'zod';
import { endpoint } from './endpoint.js';

/** What a sweep did, once done: rules run, subjects evaluated, flags fired, raised and refreshed. */
export const SweepReport = z
  .object({
    rules: z.number().int(),
    subjects: z.number().int(),
    fired: z.number().int(),
    raised: z.number().int(),
    refreshed: z.number().int(),
    /** Rules skipped because their stored definition no longer validates. */
    invalid: z.array(z.string()),
    /** The instant judged, and where it came from: asOf given, the end of the ledger's history, or now. */
    asOf: z.string().optional(),
    asOfBasis: z.enum(['given', 'history-end', 'now']).optional(),
    /** How many rules' facts were read on the streaming replica and how many on the primary. */
    factsRead: z.object({ replica: z.number().int(), primary: z.number().int() }).optional(),
  })
  .meta({ id: 'SweepReport' });
export type SweepReport = z.infer<typeof SweepReport>;

export const SweepStarted = z.object({ id: z.string(), state: z.string() }).meta({ id: 'SweepStarted' });
export type SweepStarted = z.infer<typeof SweepStarted>;

export const Sweep = z
  .object({
    id: z.string(),
    state: z.string(),
    /** Percent done. */
    progress: z.number(),
    result: SweepReport.nullable(),
    failedReason: z.string().nullable(),
    attempts: z.number().int(),
  })
  .meta({ id: 'Sweep' });
export type Sweep = z.infer<typeof Sweep>;

export const sweepEndpoints = {
  start: endpoint({
    method: 'POST',
    path: '/v1/sweeps',
    tag: 'rules',
    access: ['rule_author', 'admin'],
    summary: 'Start a full re-evaluation of published rules (a worker job), as of asOf or else the end of the ledger\u2019s history; answers its id',
    // No body at all is a sweep of every published rule as of the end of the ledger's history.
    body: z
      .strictObject({
        ruleIds: z.array(z.string().min(1).max(100)).max(100).optional(),
        asOf: z.iso.datetime({ offset: true }).optional(),
      })
      .nullish()
      .transform((b) => b ?? {}),
    response: SweepStarted,
    status: 201,
  }),
  get: endpoint({
    method: 'GET',
    path: '/v1/sweeps/{id}',
    tag: 'rules',
    access: ['rule_author', 'admin'],
    summary: 'A sweep: state, progress (percent), result or failure reason',
    params: z.object({ id: z.string().meta({ description: 'the sweep job id' }) }),
    response: Sweep,
  }),
};
