import { Global, Module } from '@nestjs/common';
import type pg from 'pg';
import { IntegrityAlarmRepository } from '@qadaga/db';
import { PG_POOL } from '../core/tokens.js';
import { CheckpointTrust } from './checkpoint-trust.js';
import { IntegrityController } from './integrity.controller.js';

/** The checkpoint trust every verification uses, and the alarms a person reads. Global: ledger and access-log verification both need the trust. */
@Global()
@Module({
  controllers: [IntegrityController],
  providers: [CheckpointTrust, { provide: IntegrityAlarmRepository, useFactory: (pool: pg.Pool) => new IntegrityAlarmRepository(pool), inject: [PG_POOL] }],
  exports: [CheckpointTrust],
})
export class IntegrityModule {}
