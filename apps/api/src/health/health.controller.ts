import { Controller, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import { healthEndpoints as api, type HealthReady } from '@qadaga/contracts/api';
import { PG_POOL, REDIS } from '../core/tokens.js';
import { Endpoint } from '../http/endpoint.decorator.js';

const PROBE_TIMEOUT_MS = 1_500;

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timed out')), PROBE_TIMEOUT_MS))]);
}

@Controller()
export class HealthController {
  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  @Endpoint(api.live)
  live() {
    return { status: 'ok' as const };
  }

  @Endpoint(api.ready)
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthReady> {
    const [database, redis] = await Promise.all([
      withTimeout(this.pool.query('SELECT 1')).then(() => 'ok', (e: Error) => `down: ${e.message}`),
      withTimeout(this.redis.ping()).then(() => 'ok', (e: Error) => `down: ${e.message}`),
    ]);
    const ok = database === 'ok' && redis === 'ok';
    // The answer leaves through its contract like any other; only the status says 503.
    void reply.status(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'unavailable', checks: { database, redis } };
  }
}
