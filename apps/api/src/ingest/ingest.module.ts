import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { AppConfig } from '@qadaga/config';
import { IngestPipeline, LedgerWriter } from '@qadaga/ledger';
import { APP_CONFIG } from '../core/tokens.js';
import { IngestController } from './ingest.controller.js';
import { SingleEventBatcher } from './single-event-batcher.js';

@Module({
  controllers: [IngestController],
  providers: [
    {
      provide: SingleEventBatcher,
      useFactory: (writer: LedgerWriter, config: AppConfig) =>
        new SingleEventBatcher(writer, { lingerMs: config.ingest.singleLingerMs, maxBatch: 1_000, maxConcurrentWrites: 2 }),
      inject: [LedgerWriter, APP_CONFIG],
    },
  ],
})
export class IngestModule implements OnApplicationShutdown {
  constructor(
    @Inject(SingleEventBatcher) private readonly batcher: SingleEventBatcher,
    @Inject(IngestPipeline) private readonly pipeline: IngestPipeline,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.batcher.drain();
    await this.pipeline.close();
  }
}
