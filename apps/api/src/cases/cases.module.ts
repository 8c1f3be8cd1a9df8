import { Module } from '@nestjs/common';
import { CaseTasksController } from './case-tasks.controller.js';
import { CasesController } from './cases.controller.js';

@Module({ controllers: [CasesController, CaseTasksController] })
export class CasesModule {}
