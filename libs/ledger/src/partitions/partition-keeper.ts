import { DEFAULT_MONTHS_AHEAD, ensureTimePartitions, type Queryable } from './time-partitions.js';

export interface PartitionKeeperOptions {
  monthsAhead?: number;
  /** How often a running process makes the months ahead again (default: daily). */
  everyMs?: number;
  /** Where a month made, or a failure to make one, is told. */
  log: { made(names: string[]): void; failed(error: unknown): void };
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** A keeper's log written to a process's logger (NestJS's Logger has this shape): what the API and the worker both say. */
export function partitionLogOf(logger: { log(message: string): void; error(message: string): void }): PartitionKeeperOptions['log'] {
  return {
    made: (names) => logger.log(`made ${names.join(', ')}`),
    failed: (error) => logger.error(`could not make the months ahead: ${error instanceof Error ? error.message : String(error)}`),
  };
}

/**
 * Keeps the months ahead made while a process runs: once when it starts, then daily, so
 * an API or worker process that runs for months never reaches a month nobody made. Every
 * process does it: the SQL function is idempotent and serialised, so the extra calls cost
 * a catalogue lookup each. A failure (a database role without CREATE, say) is logged, not
 * fatal: the months made earlier still take writes, and a write for a missing month fails
 * on its own with MissingTimePartitionError.
 */
export class PartitionKeeper {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Queryable,
    private readonly options: PartitionKeeperOptions,
  ) {}

  /** Makes the months ahead now and daily after; resolves once the first round is done. */
  async start(): Promise<void> {
    this.timer ??= setInterval(() => void this.once(), this.options.everyMs ?? DAY_MS).unref();
    await this.once();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async once(): Promise<void> {
    try {
      const made = await ensureTimePartitions(this.db, { monthsAhead: this.options.monthsAhead ?? DEFAULT_MONTHS_AHEAD });
      if (made.length > 0) this.options.log.made(made);
    } catch (error) {
      this.options.log.failed(error);
    }
  }
}
