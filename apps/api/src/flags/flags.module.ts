import { Module } from '@nestjs/common';
import { FlagsController } from './flags.controller.js';
import { FlagsExportController } from './flags-export.controller.js';

@Module({ controllers: [FlagsController, FlagsExportController] })
export class FlagsModule {}
