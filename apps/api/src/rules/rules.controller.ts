import { InjectQueue } from '@nestjs/bullmq';
import { Controller, HttpStatus, Inject, Param, Res } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { FastifyReply } from 'fastify';
import type { AppConfig } from '@qadaga/config';
import { BACKTEST_MAX_DEFINITION_BYTES, QUEUES, type JobPayloads } from '@qadaga/contracts';
import { ruleEndpoints as api, type BacktestJob, type BacktestQueued, type ParsedBodyOf, type RuleSummary } from '@qadaga/contracts/api';
import { CaseRepository, PseudonymRepository, AccessLogRepository, FlagRepository, RuleRepository, RuleWorkflowError } from '@qadaga/db';
import { Backtester, publishedCounterpart, type BacktestResult } from '@qadaga/detection';
import { ruleJsonSchema, validateRule, type JsonSchema, type RuleDefinition } from '@qadaga/rules';
import { RecusalCheck } from '../auth/recusal.js';
import { VersionPipe } from '../http/version.pipe.js';
import { CurrentPrincipal } from '../auth/current-principal.js';
import type { Principal } from '../auth/principal.js';
import { APP_CONFIG } from '../core/tokens.js';
import { apiError } from '../http/api-error.js';
import { needsPseudonyms } from '../privacy/pseudonymise.js';
import { Endpoint, Input } from '../http/endpoint.decorator.js';
import { BACKTEST_JOB_OPTIONS, backtestJobId } from './backtest-jobs.js';
import { backtestForReader } from './backtest-view.js';

const DAY_MS = 86_400_000;

const STATUS_OF_WORKFLOW: Record<RuleWorkflowError['code'], number> = { not_found: 404, wrong_status: 409, same_user: 403, published_immutable: 409 };

function checked(definition: unknown, ruleId?: string): RuleDefinition {
  const result = validateRule(definition);
  if (!result.ok) throw apiError(HttpStatus.UNPROCESSABLE_ENTITY, 'the rule is not valid', result.errors.map((e) => ({ ...e, path: `definition.${e.path}` })));
  if (ruleId !== undefined && result.rule.id !== ruleId) {
    throw apiError(HttpStatus.UNPROCESSABLE_ENTITY, 'the rule id does not match the URL', [{ path: 'definition.id', message: `must be ${ruleId}` }]);
  }
  return result.rule;
}

async function workflow<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof RuleWorkflowError) throw apiError(STATUS_OF_WORKFLOW[error.code], error.message, [{ path: 'version', message: error.message }]);
    throw error;
  }
}

/** Rules are written as drafts, submitted, approved by another user and published; a published version never changes. */
@Controller()
export class RulesController {
  constructor(
    @Inject(RuleRepository) private readonly rules: RuleRepository,
    @Inject(FlagRepository) private readonly flags: FlagRepository,
    @Inject(Backtester) private readonly backtester: Backtester,
    @Inject(AccessLogRepository) private readonly accessLog: AccessLogRepository,
    @Inject(CaseRepository) private readonly cases: CaseRepository,
    @Inject(PseudonymRepository) private readonly pseudonyms: PseudonymRepository,
    @Inject(RecusalCheck) private readonly recusal: RecusalCheck,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectQueue(QUEUES.backtest) private readonly backtests: Queue<JobPayloads['backtest'], BacktestResult>,
  ) {}

  @Endpoint(api.list)
  async list(): Promise<RuleSummary[]> {
    const [rules, outcomes] = await Promise.all([this.rules.list(), this.cases.outcomesByRule()]);
    return rules.map((r) => {
      const o = outcomes.get(r.ruleId) ?? { hits: 0, decided: 0, substantiated: 0 };
      // Precision from case outcomes: substantiated of all decided; unknown until a case decides one.
      return { ...r, ...o, precision: o.decided === 0 ? null : o.substantiated / o.decided };
    });
  }

  @Endpoint(api.versions)
  async versions(@Param('id') id: string) {
    const versions = await this.rules.namedVersions(id);
    if (versions.length === 0) throw apiError(HttpStatus.NOT_FOUND, `no rule ${id}`, [{ path: 'id', message: 'unknown rule' }]);
    return versions;
  }

  /** Generated once: it depends only on the rules library and the fact catalogue of this build. */
  private schema: JsonSchema | null = null;

  @Endpoint(api.schema)
  ruleSchema(): JsonSchema {
    this.schema ??= ruleJsonSchema();
    return this.schema;
  }

  @Endpoint(api.saveDraft)
  async saveDraft(@Param('id') id: string, @Input('body') b: ParsedBodyOf<typeof api.saveDraft>, @CurrentPrincipal() principal: Principal) {
    const rule = checked(b.definition, id);
    const saved = await this.rules.saveDraft(id, rule as unknown as Record<string, unknown>, principal.id);
    await this.accessLog.record({ principal: principal.id, roles: principal.roles, action: 'rule_draft', subjectKind: 'rule', subjectId: `${id}@${saved.version}` });
    return saved;
  }

  @Endpoint(api.submit)
  async submit(@Param('id') id: string, @Param('version', VersionPipe) version: number, @CurrentPrincipal() principal: Principal) {
    const result = await workflow(() => this.rules.submit(id, version));
    await this.accessLog.record({ principal: principal.id, roles: principal.roles, action: 'rule_submit', subjectKind: 'rule', subjectId: `${id}@${version}` });
    return result;
  }

  @Endpoint(api.approve)
  async approve(@Param('id') id: string, @Param('version', VersionPipe) version: number, @CurrentPrincipal() principal: Principal) {
    const current = await workflow(() => this.rules.get(id, version));
    checked(current.definition, id);
    const result = await workflow(() => this.rules.approve(id, version, principal.id));
    await this.accessLog.record({ principal: principal.id, roles: principal.roles, action: 'rule_approve', subjectKind: 'rule', subjectId: `${id}@${version}` });
    return result;
  }

  @Endpoint(api.publish)
  async publish(@Param('id') id: string, @Param('version', VersionPipe) version: number, @CurrentPrincipal() principal: Principal) {
    const current = await workflow(() => this.rules.get(id, version));
    checked(current.definition, id);
    const result = await workflow(() => this.rules.publish(id, version, principal.id));
    await this.accessLog.record({ principal: principal.id, roles: principal.roles, action: 'rule_publish', subjectKind: 'rule', subjectId: `${id}@${version}` });
    return result;
  }

  @Endpoint(api.backtest)
  async backtest(@Input('body') b: ParsedBodyOf<typeof api.backtest>, @CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) reply: FastifyReply) {
    const range = { from: new Date(b.from), to: new Date(b.to) };
    if (range.to.getTime() - range.from.getTime() > this.config.backtest.syncMaxDays * DAY_MS) {
      void reply.status(HttpStatus.ACCEPTED);
      return this.queueBacktest(b.definition, range, principal);
    }
    const draft = checked(b.definition);
    const result = await this.backtester.run(draft, await publishedCounterpart(this.rules, draft.id), range);
    return backtestForReader(result, draft, principal, this.readers());
  }

  /** What trims a backtest for its reader: pseudonyms, recusal, and the labels of withheld subjects' cases. */
  private readers() {
    return { pseudonyms: this.pseudonyms, recusal: this.recusal, flags: this.flags };
  }

  @Endpoint(api.backtestJob)
  async backtestJob(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<BacktestJob> {
    // The state is read before the job: a job read first and completed in between would be
    // reported completed without its result.
    const state = await this.backtests.getJobState(id);
    const job = await this.backtests.getJob(id);
    if (job === undefined || job.name !== 'backtest') throw apiError(HttpStatus.NOT_FOUND, `no backtest ${id}`, [{ path: 'id', message: 'unknown backtest job' }]);
    const done = state === 'completed' && job.returnvalue !== null && job.returnvalue !== undefined;
    const result = done ? await backtestForReader(job.returnvalue, { id: String(job.data.definition['id']), subject: String(job.data.definition['subject']) }, principal, this.readers()) : null;
    if (done && !needsPseudonyms(principal)) {
      const ruleId = String(job.data.definition['id']);
      await this.accessLog.record({ principal: principal.id, roles: principal.roles, action: 'rule_backtest_read', subjectKind: 'rule', subjectId: `${ruleId}@${id}` });
    }
    return {
      id,
      state,
      progress: typeof job.progress === 'number' ? job.progress : 0,
      result,
      failedReason: job.failedReason ?? null,
      attempts: job.attemptsMade,
      requestedAt: new Date(job.timestamp).toISOString(),
      finishedAt: job.finishedOn === undefined ? null : new Date(job.finishedOn).toISOString(),
    };
  }

  /** The draft travels in the job, so it must stay small; the same draft and range are one job. */
  private async queueBacktest(definition: Record<string, unknown>, range: { from: Date; to: Date }, principal: Principal): Promise<BacktestQueued> {
    const bytes = Buffer.byteLength(JSON.stringify(definition));
    if (bytes >= BACKTEST_MAX_DEFINITION_BYTES) {
      throw apiError(HttpStatus.PAYLOAD_TOO_LARGE, 'the draft is too large to run as a job', [
        { path: 'definition', message: `the definition is ${bytes} bytes of JSON; a backtest job takes less than ${BACKTEST_MAX_DEFINITION_BYTES}` },
      ]);
    }
    const draft = checked(definition);
    const jobId = backtestJobId(draft, range);
    const payload: JobPayloads['backtest'] = { definition: draft as unknown as Record<string, unknown>, from: range.from.toISOString(), to: range.to.toISOString(), requestedBy: principal.id };
    // add() answers the existing job when the id is taken; one that failed is run again.
    await this.backtests.add('backtest', payload, { ...BACKTEST_JOB_OPTIONS, jobId });
    const job = await this.backtests.getJob(jobId);
    if (job === undefined) throw new Error(`backtest job ${jobId} vanished right after it was added`);
    if ((await job.getState()) === 'failed') await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    await this.accessLog.record({ principal: principal.id, roles: principal.roles, action: 'rule_backtest_job', subjectKind: 'rule', subjectId: `${draft.id}@${jobId}` });
    return { id: jobId, state: await job.getState(), progress: typeof job.progress === 'number' ? job.progress : 0 };
  }
}
