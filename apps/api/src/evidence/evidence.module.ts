import { Module } from '@nestjs/common';
import { BundleListController } from './bundle-list.controller.js';
import { EvidenceController } from './evidence.controller.js';
import { KeysController } from './keys.controller.js';
import { ProductKeys } from './product-keys.js';

@Module({ controllers: [EvidenceController, BundleListController, KeysController], providers: [ProductKeys] })
export class EvidenceModule {}
