import { Module } from '@nestjs/common';
import { MyWorkController } from './my-work.controller.js';

@Module({ controllers: [MyWorkController] })
export class WorkModule {}
