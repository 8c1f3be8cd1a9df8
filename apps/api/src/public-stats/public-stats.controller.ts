import { Controller, Inject, Req, Res } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '@qadaga/config';
import { placeEndpoints as api, type ParsedQueryOf } from '@qadaga/contracts/api';
import { APP_CONFIG } from '../core/tokens.js';
import { Endpoint, Input } from '../http/endpoint.decorator.js';
import { DISTRICTS_CACHE_SECONDS, PublicStatsService, type PublishedBody } from './public-stats.service.js';

/** Requests per minute per client address unless PUBLIC_RATE_LIMIT_PER_MINUTE says otherwise. */
export const PUBLIC_STATS_PER_MINUTE = 60;
let perMinute = PUBLIC_STATS_PER_MINUTE;

/**
 * The endpoints need no credentials, so they are limited per address apart from keyed
 * clients, keyed by address alone: a made-up Authorization header must not buy a fresh allowance.
 */
const PUBLIC_LIMIT = { rateLimit: { max: () => perMinute, timeWindow: '1 minute', keyGenerator: (request: FastifyRequest) => `public:${request.ip}` } };

/**
 * Open data: the district boundaries and the figures of a quarter, as JSON, CSV and
 * GeoJSON. Each answer is computed once, reused for a few seconds, and sent with an ETag
 * and a short max-age, so browsers and caches in between revalidate rather than refetch.
 */
@Controller()
export class PublicStatsController {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(PublicStatsService) private readonly service: PublicStatsService,
  ) {
    perMinute = config.publicStats.perMinute;
  }

  @Endpoint(api.publicDistricts)
  @RouteConfig(PUBLIC_LIMIT)
  async districts(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    await send(request, reply, await this.service.districtBoundaries(), DISTRICTS_CACHE_SECONDS);
  }

  @Endpoint(api.publicStats)
  @RouteConfig(PUBLIC_LIMIT)
  async stats(@Input('query') q: ParsedQueryOf<typeof api.publicStats>, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    await send(request, reply, (await this.service.quarter(q.quarter ?? this.service.currentQuarter())).json, this.service.maxAge);
  }

  @Endpoint(api.publicStatsCsv)
  @RouteConfig(PUBLIC_LIMIT)
  async csv(@Input('query') q: ParsedQueryOf<typeof api.publicStatsCsv>, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const quarter = q.quarter ?? this.service.currentQuarter();
    reply.header('content-disposition', `attachment; filename="qadaga-public-${quarter}.csv"`);
    await send(request, reply, (await this.service.quarter(quarter)).csv, this.service.maxAge);
  }

  @Endpoint(api.publicStatsGeojson)
  @RouteConfig(PUBLIC_LIMIT)
  async geojson(@Input('query') q: ParsedQueryOf<typeof api.publicStatsGeojson>, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const quarter = q.quarter ?? this.service.currentQuarter();
    reply.header('content-disposition', `attachment; filename="qadaga-public-${quarter}.geojson"`);
    await send(request, reply, (await this.service.quarter(quarter)).geojson, this.service.maxAge);
  }
}

/** The answer (gzipped when the reader takes it), or 304 when the reader already holds it (If-None-Match names its ETag). */
async function send(request: FastifyRequest, reply: FastifyReply, answer: PublishedBody, maxAge: number): Promise<void> {
  reply.header('etag', answer.etag).header('cache-control', maxAge > 0 ? `public, max-age=${maxAge}` : 'no-cache').header('vary', 'accept-encoding');
  const held = request.headers['if-none-match'];
  if (typeof held === 'string' && held.split(',').some((tag) => tag.trim() === answer.etag || tag.trim() === '*')) {
    await reply.code(304).send();
    return;
  }
  const gzip = /\bgzip\b/u.test(String(request.headers['accept-encoding'] ?? ''));
  if (gzip) reply.header('content-encoding', 'gzip');
  const bytes = gzip ? answer.gzip : answer.body;
  await reply.header('content-type', answer.type).header('content-length', String(bytes.length)).send(bytes);
}
