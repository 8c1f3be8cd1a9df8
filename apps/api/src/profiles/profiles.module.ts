import { Module } from '@nestjs/common';
import type pg from 'pg';
import { CameraProfileRepository, OfficerProfileRepository, VehicleProfileRepository } from '@qadaga/db';
import { PG_POOL } from '../core/tokens.js';
import { ProfilesController } from './profiles.controller.js';

@Module({
  controllers: [ProfilesController],
  providers: [
    { provide: OfficerProfileRepository, useFactory: (pool: pg.Pool) => new OfficerProfileRepository(pool), inject: [PG_POOL] },
    { provide: VehicleProfileRepository, useFactory: (pool: pg.Pool) => new VehicleProfileRepository(pool), inject: [PG_POOL] },
    { provide: CameraProfileRepository, useFactory: (pool: pg.Pool) => new CameraProfileRepository(pool), inject: [PG_POOL] },
  ],
})
export class ProfilesModule {}
