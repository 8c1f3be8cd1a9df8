import { Module } from '@nestjs/common';
import type pg from 'pg';
import { SearchRepository } from '@qadaga/db';
import { PG_POOL } from '../core/tokens.js';
import { SearchController } from './search.controller.js';

@Module({
  controllers: [SearchController],
  providers: [{ provide: SearchRepository, useFactory: (pool: pg.Pool) => new SearchRepository(pool), inject: [PG_POOL] }],
})
export class SearchModule {}
