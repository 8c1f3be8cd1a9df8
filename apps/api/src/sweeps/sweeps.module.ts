import { Module } from '@nestjs/common';
import { SweepsController } from './sweeps.controller.js';

@Module({ controllers: [SweepsController] })
export class SweepsModule {}
