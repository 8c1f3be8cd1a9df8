import { Module } from '@nestjs/common';
import { CoverageController } from './coverage.controller.js';
import { SweepsController } from './sweeps.controller.js';

@Module({ controllers: [SweepsController, CoverageController] })
export class SweepsModule {}
