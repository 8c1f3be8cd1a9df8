import { Module } from '@nestjs/common';
import { IntegrityModule } from '../integrity/integrity.module.js';
import { LedgerController } from './ledger.controller.js';
import { TimePartitionsAtStart } from './time-partitions-at-start.js';

@Module({ imports: [IntegrityModule], controllers: [LedgerController], providers: [TimePartitionsAtStart] })
export class LedgerModule {}
