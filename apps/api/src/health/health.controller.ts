import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import { Public } from '../auth/roles.decorator.js';
import { PG_POOL, REDIS } from '../core/tokens.js';

const PROBE_TIMEOUT_MS = 1_500;

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timed out')), PROBE_TIMEOUT_MS))]);
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  @Get('live')
  @Public()
  @ApiOperation({ summary: 'The process is up' })
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @Public()
  @ApiOperation({ summary: 'PostgreSQL and Redis both answer; 503 naming the one that does not' })
  async ready(@Res() reply: FastifyReply): Promise<void> {
    const [database, redis] = await Promise.all([
      withTimeout(this.pool.query('SELECT 1')).then(() => 'ok', (e: Error) => `down: ${e.message}`),
      withTimeout(this.redis.ping()).then(() => 'ok', (e: Error) => `down: ${e.message}`),
    ]);
    const ok = database === 'ok' && redis === 'ok';
    await reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', checks: { database, redis } });
  }
}
