import { getQueueToken } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { QUEUES } from '@qadaga/contracts';
import { JobsController } from './jobs.controller.js';
import { ALL_QUEUES, type QueueKey } from './job-view.js';

const keys = Object.keys(QUEUES) as QueueKey[];

@Module({
  controllers: [JobsController],
  providers: [
    {
      // Every queue of the contracts, by its short name: a queue added there is listed here without a change.
      provide: ALL_QUEUES,
      useFactory: (...queues: Queue[]) => new Map(keys.map((key, i) => [key, queues[i] as Queue])),
      inject: keys.map((key) => getQueueToken(QUEUES[key])),
    },
  ],
})
export class JobsModule {}
