import { z } from 'zod';
import { endpoint } from './endpoint.js';

export const HealthReady = z
  .object({
    status: z.enum(['ok', 'unavailable']),
    /** "ok", or "down: " and why, for each. */
    checks: z.object({ database: z.string(), redis: z.string() }),
  })
  .meta({ id: 'HealthReady' });
export type HealthReady = z.infer<typeof HealthReady>;

export const healthEndpoints = {
  live: endpoint({
    method: 'GET',
    path: '/health/live',
    tag: 'health',
    access: 'public',
    summary: 'The process is up',
    response: z.object({ status: z.literal('ok') }),
  }),
  ready: endpoint({
    method: 'GET',
    path: '/health/ready',
    tag: 'health',
    access: 'public',
    summary: 'PostgreSQL and Redis both answer; 503 naming the one that does not',
    response: HealthReady,
  }),
};
