import { Module } from '@nestjs/common';
import { EvidenceController } from './evidence.controller.js';
import { KeysController } from './keys.controller.js';
import { ProductKeys } from './product-keys.js';

@Module({ controllers: [EvidenceController, KeysController], providers: [ProductKeys] })
export class EvidenceModule {}
