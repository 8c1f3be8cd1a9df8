import { Controller, Inject } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import type { AppConfig } from '@qadaga/config';
import { placeEndpoints as api, type ParsedQueryOf } from '@qadaga/contracts/api';
import { APP_CONFIG } from '../core/tokens.js';
import { Endpoint, Input } from '../http/endpoint.decorator.js';
import { resolvePeriod } from '../profiles/period-query.js';
import { PublicStatsService } from './public-stats.service.js';

/** Requests per minute per client address: the endpoint needs no credentials, so it is limited apart from keyed clients. */
export const PUBLIC_STATS_PER_MINUTE = 60;

@Controller()
export class PublicStatsController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PublicStatsService) private readonly service: PublicStatsService,
  ) {}

  @Endpoint(api.publicStats)
  // Keyed by address alone: a made-up Authorization header must not buy a fresh allowance.
  @RouteConfig({ rateLimit: { max: PUBLIC_STATS_PER_MINUTE, timeWindow: '1 minute', keyGenerator: (request: FastifyRequest) => `public:${request.ip}` } })
  async stats(@Input('query') q: ParsedQueryOf<typeof api.publicStats>) {
    return this.service.stats(resolvePeriod(q, this.config.timeZone, { defaultDays: 12 * 7, maxDays: 366 }));
  }
}
