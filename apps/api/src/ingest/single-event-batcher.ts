import type { IngestOutcome } from '@qadaga/contracts';
import type { IndexedEvent, LedgerWriter } from '@qadaga/ledger';
import type { LifecycleEvent } from '@qadaga/domain';

interface Pending {
  event: LifecycleEvent;
  resolve: (outcome: IngestOutcome) => void;
  reject: (error: unknown) => void;
}

/**
 * Single-event requests share transactions: each waits at most `lingerMs` for others,
 * then all are committed together and each caller is answered with its own outcome
 * once the commit is done. One commit per request would cap throughput at the disk's
 * fsync rate; this keeps "accepted means durable" and multiplies throughput.
 */
export class SingleEventBatcher {
  private queue: Pending[] = [];
  private timer: NodeJS.Timeout | null = null;
  private inFlight = 0;

  constructor(
    private readonly writer: LedgerWriter,
    private readonly options: { lingerMs: number; maxBatch: number; maxConcurrentWrites: number },
  ) {}

  submit(event: LifecycleEvent): Promise<IngestOutcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ event, resolve, reject });
      if (this.queue.length >= this.options.maxBatch) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.options.lingerMs);
    });
  }

  private flush(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    // While the writes in flight saturate the chain lock, let the queue grow: the next
    // transaction then carries more events instead of waiting on the lock.
    if (this.queue.length === 0 || this.inFlight >= this.options.maxConcurrentWrites) return;
    const batch = this.queue.splice(0, this.options.maxBatch);
    this.inFlight += 1;
    const items: IndexedEvent[] = batch.map((p, index) => ({ index, event: p.event }));
    this.writer
      .write(items)
      .then(({ outcomes }) => {
        for (const outcome of outcomes) batch[outcome.index]?.resolve(outcome);
      })
      .catch((error: unknown) => {
        for (const p of batch) p.reject(error);
      })
      .finally(() => {
        this.inFlight -= 1;
        if (this.queue.length > 0) this.flush();
      });
  }

  /** Waits for queued events to be written (graceful shutdown). */
  async drain(): Promise<void> {
    while (this.queue.length > 0 || this.inFlight > 0) {
      this.flush();
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}
