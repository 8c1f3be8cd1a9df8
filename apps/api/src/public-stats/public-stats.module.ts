import { Module } from '@nestjs/common';
import type pg from 'pg';
import { DistrictBoundaryRepository, PublicStatsRepository } from '@qadaga/db';
import { PG_POOL } from '../core/tokens.js';
import { PublicStatsController } from './public-stats.controller.js';
import { PublicStatsService } from './public-stats.service.js';

@Module({
  controllers: [PublicStatsController],
  providers: [
    { provide: PublicStatsRepository, useFactory: (pool: pg.Pool) => new PublicStatsRepository(pool), inject: [PG_POOL] },
    { provide: DistrictBoundaryRepository, useFactory: (pool: pg.Pool) => new DistrictBoundaryRepository(pool), inject: [PG_POOL] },
    PublicStatsService,
  ],
})
export class PublicStatsModule {}
