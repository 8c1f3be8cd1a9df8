import { Module } from '@nestjs/common';
import type pg from 'pg';
import { Roster } from '@qadaga/db';
import { PG_POOL } from '../core/tokens.js';
import { ReferenceController } from './reference.controller.js';
import { RosterController } from './roster.controller.js';

@Module({
  controllers: [ReferenceController, RosterController],
  providers: [{ provide: Roster, useFactory: (pool: pg.Pool) => new Roster(pool), inject: [PG_POOL] }],
})
export class ReferenceModule {}
