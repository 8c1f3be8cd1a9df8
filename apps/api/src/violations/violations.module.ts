import { Module } from '@nestjs/common';
import { ViolationsController } from './violations.controller.js';

@Module({ controllers: [ViolationsController] })
export class ViolationsModule {}
