import { Module } from '@nestjs/common';
import { FlagWorkController } from './flag-work.controller.js';
import { FlagsController } from './flags.controller.js';
import { FlagsExportController } from './flags-export.controller.js';

@Module({ controllers: [FlagsController, FlagsExportController, FlagWorkController] })
export class FlagsModule {}
