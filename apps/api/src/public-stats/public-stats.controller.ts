import { Controller, Get, Inject, Query } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppConfig } from '@qadaga/config';
import { Public } from '../auth/roles.decorator.js';
import { APP_CONFIG } from '../core/tokens.js';
import { parseOr422 } from '../http/parse.js';
import { periodFields, resolvePeriod } from '../profiles/period-query.js';
import { PublicStatsService } from './public-stats.service.js';

const StatsQuery = z.strictObject(periodFields);

/** Requests per minute per client address: the endpoint needs no credentials, so it is limited apart from keyed clients. */
export const PUBLIC_STATS_PER_MINUTE = 60;

@ApiTags('public')
@Controller('v1/public')
export class PublicStatsController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PublicStatsService) private readonly service: PublicStatsService,
  ) {}

  @Get('stats')
  @Public()
  // Keyed by address alone: a made-up Authorization header must not buy a fresh allowance.
  @RouteConfig({ rateLimit: { max: PUBLIC_STATS_PER_MINUTE, timeWindow: '1 minute', keyGenerator: (request: FastifyRequest) => `public:${request.ip}` } })
  @ApiOperation({
    summary:
      'Open data, no sign-in: violations and cancellations per week by district and by camera. Weeks are whole local weeks; every count under PUBLIC_MIN_CELL_COUNT is withheld (null, suppressed: true), and no plate or officer is ever named.',
  })
  async stats(@Query() query: Record<string, string>) {
    const q = parseOr422(StatsQuery, query, 'query');
    return this.service.stats(resolvePeriod(q, this.config.timeZone, { defaultDays: 12 * 7, maxDays: 366 }));
  }
}
