import { Module } from '@nestjs/common';
import { IntegrityModule } from '../integrity/integrity.module.js';
import { LedgerController } from './ledger.controller.js';

@Module({ imports: [IntegrityModule], controllers: [LedgerController] })
export class LedgerModule {}
