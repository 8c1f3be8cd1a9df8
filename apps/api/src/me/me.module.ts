import { Module } from '@nestjs/common';
import type pg from 'pg';
import { SavedViewRepository } from '@qadaga/db';
import { PG_POOL } from '../core/tokens.js';
import { SavedViewsController } from './saved-views.controller.js';

/** What belongs to the signed-in person alone: their saved views. */
@Module({
  controllers: [SavedViewsController],
  providers: [{ provide: SavedViewRepository, useFactory: (pool: pg.Pool) => new SavedViewRepository(pool), inject: [PG_POOL] }],
})
export class MeModule {}
