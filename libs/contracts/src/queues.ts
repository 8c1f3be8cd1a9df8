/**
 * Queue names and job payloads, defined once for the side that adds jobs (API, CLI)
 * and the side that runs them (worker), so the two cannot drift. Payloads carry ids and
 * instants only: never personal data, never secrets.
 */
export const QUEUES = {
  /** Reads new ledger events from the per-chain cursors and marks their subjects for evaluation. */
  outbox: 'qadaga-outbox',
  /** Re-evaluates the subjects marked pending, for every published rule of their kind. */
  evaluation: 'qadaga-evaluation',
  /** Full re-evaluation of every published rule over every subject. */
  sweep: 'qadaga-sweep',
  /** Evidence bundles and the periodic signed checkpoints of the chains' heads. */
  evidence: 'qadaga-evidence',
  /** Backtests of draft rules over ranges too long to answer within a request. */
  backtest: 'qadaga-backtest',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export interface JobPayloads {
  'relay-outbox': Record<string, never>;
  'evaluate-pending': Record<string, never>;
  sweep: {
    /** Restrict to these rules; all published rules when absent. */
    ruleIds?: string[];
    /** Evaluate as of this instant (ISO); now when absent. */
    asOf?: string;
    requestedBy: string;
  };
  /**
   * One rule of a sweep, as of the sweep's instant: a sweep is split into these so that
   * every worker process shares it. Idempotent (flags are upserted), so a part whose
   * worker died simply runs again.
   */
  'sweep-rule': {
    sweepId: string;
    ruleId: string;
    asOf: string;
    /**
     * The primary's WAL position when the sweep fixed its instant: the part reads its facts
     * on the replica once that has replayed it. Absent: facts are read on the primary.
     */
    factsAt?: string;
  };
  /** Builds the bundle a row of evidence_bundle describes; the row says what and for whom. */
  'build-bundle': { bundleId: string };
  'sign-checkpoint': Record<string, never>;
  /** A draft rule over a past range, compared with the published version when the job runs. */
  backtest: {
    /** The draft as written; its JSON is kept under BACKTEST_MAX_DEFINITION_BYTES. */
    definition: Record<string, unknown>;
    /** ISO instants, from inclusive, to exclusive. */
    from: string;
    to: string;
    requestedBy: string;
  };
}
export type JobName = keyof JobPayloads;

/** Which queue runs which job: the worker refuses to start if a job here has no handler. */
export const JOB_QUEUE: Record<JobName, QueueName> = {
  'relay-outbox': QUEUES.outbox,
  'evaluate-pending': QUEUES.evaluation,
  sweep: QUEUES.sweep,
  'sweep-rule': QUEUES.sweep,
  'build-bundle': QUEUES.evidence,
  'sign-checkpoint': QUEUES.evidence,
  backtest: QUEUES.backtest,
};

/** Jobs stay small in Redis: a draft's definition above this size is refused, not queued. */
export const BACKTEST_MAX_DEFINITION_BYTES = 64 * 1024;

/** Scheduler ids, so the worker's schedules are upserted, never duplicated. */
export const SCHEDULERS = {
  relayOutbox: 'relay-outbox-every-250ms',
  evaluatePending: 'evaluate-pending-every-250ms',
  nightlySweep: 'sweep-nightly',
  checkpoint: 'sign-checkpoint-periodically',
} as const;
