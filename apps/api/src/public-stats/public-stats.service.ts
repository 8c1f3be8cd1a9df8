import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { Inject, Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import type { AppConfig } from '@qadaga/config';
import { PublicDistricts, PublicStats } from '@qadaga/contracts/api';
import { DistrictBoundaryRepository, PublicStatsRepository, publicDistricts, publicStatsCsv, publicStatsGeoJson } from '@qadaga/db';
import { APP_CONFIG } from '../core/tokens.js';

/** One answer, serialised once and reused: its bytes (and gzipped, for readers who take it), its media type and a validator for revalidation. */
export interface PublishedBody {
  body: Buffer;
  gzip: Buffer;
  type: string;
  etag: string;
}

export interface PublishedQuarter {
  json: PublishedBody;
  csv: PublishedBody;
  geojson: PublishedBody;
}

/** Boundaries change when an operator loads new ones: a minute's reuse is enough. */
export const DISTRICTS_CACHE_SECONDS = 60;

/**
 * A weak validator over what the answer says, less the moment it was computed: a reader
 * revalidating an unchanged quarter gets 304 however often the figures were recomputed.
 */
function etagOf(kind: string, content: unknown): string {
  return `W/"${kind}-${createHash('sha256').update(JSON.stringify(content)).digest('base64url').slice(0, 27)}"`;
}

/** Compressed once here rather than per request: the figures are a few hundred kilobytes of JSON that shrink tenfold. */
function bodyOf(text: string, type: string, etag: string): PublishedBody {
  const body = Buffer.from(text, 'utf8');
  return { body, gzip: gzipSync(body), type, etag };
}

/**
 * Anyone may ask, so each quarter's figures are computed once at a time, checked against
 * the contract, serialised in all three forms and reused for PUBLIC_STATS_CACHE_SECONDS
 * (at most 30): a crowd of readers costs a handful of queries, and a new event still
 * shows within half a minute.
 */
@Injectable()
export class PublicStatsService {
  private readonly quarters: LRUCache<string, Promise<PublishedQuarter>> | null;
  private readonly districts: LRUCache<'all', Promise<PublishedBody>> | null;
  private readonly boundaries: DistrictBoundaryRepository;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PublicStatsRepository) private readonly repository: PublicStatsRepository,
    @Inject(DistrictBoundaryRepository) boundaries: DistrictBoundaryRepository,
  ) {
    this.boundaries = boundaries;
    const ttl = config.publicStats.cacheSeconds * 1000;
    this.quarters = ttl > 0 ? new LRUCache({ max: 64, ttl }) : null;
    this.districts = ttl > 0 ? new LRUCache({ max: 1, ttl: DISTRICTS_CACHE_SECONDS * 1000 }) : null;
  }

  /** Seconds a reader may reuse an answer without asking again. */
  get maxAge(): number {
    return this.config.publicStats.cacheSeconds;
  }

  currentQuarter(): string {
    return this.repository.currentQuarter(new Date(), this.config.timeZone);
  }

  quarter(quarter: string): Promise<PublishedQuarter> {
    return reuse(this.quarters, quarter, () => this.compute(quarter));
  }

  districtBoundaries(): Promise<PublishedBody> {
    return reuse(this.districts, 'all', async () => {
      const answer = PublicDistricts.parse(publicDistricts(await this.boundaries.list()));
      return bodyOf(JSON.stringify(answer), 'application/json; charset=utf-8', etagOf('districts', answer));
    });
  }

  private async compute(quarter: string): Promise<PublishedQuarter> {
    const [figures, districts] = await Promise.all([
      this.repository.figures(quarter, this.config.timeZone, this.config.publicStats.minCellCount),
      this.boundaries.list(),
    ]);
    // Checked once against the published contract here, not on every one of the many reads.
    const stats = PublicStats.parse(figures);
    const content = { ...stats, method: { ...stats.method, computedAt: null } };
    return {
      json: bodyOf(JSON.stringify(stats), 'application/json; charset=utf-8', etagOf('json', content)),
      csv: bodyOf(publicStatsCsv(stats), 'text/csv; charset=utf-8', etagOf('csv', content)),
      geojson: bodyOf(JSON.stringify(publicStatsGeoJson(stats, publicDistricts(districts))), 'application/geo+json; charset=utf-8', etagOf('geojson', { content, boundaries: districts.loadedAt })),
    };
  }
}

/** One computation per key at a time, reused until it expires; a failure is forgotten at once. */
function reuse<K extends string, V>(cache: LRUCache<K, Promise<V>> | null, key: K, compute: () => Promise<V>): Promise<V> {
  if (cache === null) return compute();
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const pending = compute();
  cache.set(key, pending);
  pending.catch(() => cache.delete(key));
  return pending;
}
