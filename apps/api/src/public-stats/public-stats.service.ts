import { Inject, Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import type { AppConfig } from '@qadaga/config';
import { PublicStatsRepository, suppressSmallCells, type Period, type PublicStats } from '@qadaga/db';
import { APP_CONFIG } from '../core/tokens.js';

/**
 * Anyone may ask, so one answer per period is computed at a time and reused for a few
 * seconds (PUBLIC_STATS_CACHE_SECONDS, at most 30): a crowd of readers costs one query,
 * and a new violation still shows within half a minute.
 */
@Injectable()
export class PublicStatsService {
  private readonly cache: LRUCache<string, Promise<PublicStats>> | null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PublicStatsRepository) private readonly repository: PublicStatsRepository,
  ) {
    const ttl = config.publicStats.cacheSeconds * 1000;
    this.cache = ttl > 0 ? new LRUCache({ max: 500, ttl }) : null;
  }

  stats(period: Period): Promise<PublicStats> {
    const compute = async () => suppressSmallCells(await this.repository.weeklyCounts(period), this.config.publicStats.minCellCount, period.timeZone);
    if (this.cache === null) return compute();
    const key = `${period.from.toISOString()}|${period.to.toISOString()}`;
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit;
    const pending = compute();
    this.cache.set(key, pending);
    pending.catch(() => this.cache?.delete(key));
    return pending;
  }
}
