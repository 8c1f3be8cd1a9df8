import { Module } from '@nestjs/common';
import type pg from 'pg';
import { OfficerProfileRepository, PlacesRepository } from '@qadaga/db';
import { PG_POOL } from '../core/tokens.js';
import { PlacesController } from './places.controller.js';

@Module({
  controllers: [PlacesController],
  providers: [
    { provide: PlacesRepository, useFactory: (pool: pg.Pool) => new PlacesRepository(pool), inject: [PG_POOL] },
    { provide: OfficerProfileRepository, useFactory: (pool: pg.Pool) => new OfficerProfileRepository(pool), inject: [PG_POOL] },
  ],
})
export class PlacesModule {}
