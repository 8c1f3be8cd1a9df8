import { Body, Controller, Get, HttpCode, HttpStatus, Inject, Param, ParseIntPipe, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { CaseRepository, PseudonymRepository, AccessLogRepository, FlagRepository, RuleRepository, RuleWorkflowError } from '@qadaga/db';
import { Backtester } from '@qadaga/detection';
import { validateRule, type RuleDefinition } from '@qadaga/rules';
import { Roles } from '../auth/roles.decorator.js';
import { CurrentPrincipal } from '../auth/current-principal.js';
import type { Principal } from '../auth/principal.js';
import { apiError } from '../http/api-error.js';
import { Pseudonymiser, needsPseudonyms } from '../privacy/pseudonymise.js';
import { parseOr422 } from '../http/parse.js';

const DraftBody = z.strictObject({ definition: z.record(z.string(), z.unknown()) });
const BacktestBody = z.strictObject({
  definition: z.record(z.string(), z.unknown()),
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }),
}).refine((b) => Date.parse(b.from) < Date.parse(b.to), { message: 'from must be before to', path: ['from'] })
  .refine((b) => Date.parse(b.to) - Date.parse(b.from) <= 400 * 86_400_000, { message: 'at most about 13 months at once', path: ['to'] });

const STATUS_OF_WORKFLOW: Record<RuleWorkflowError['code'], number> = { not_found: 404, wrong_status: 409, same_user: 403, published_immutable: 409 };

function checked(definition: unknown, ruleId?: string): RuleDefinition {
  const result = validateRule(definition);
  if (!result.ok) throw apiError(HttpStatus.UNPROCESSABLE_ENTITY, 'the rule is not valid', result.errors.map((e) => ({ path: `definition.${e.path}`, message: e.message })));
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
@ApiTags('rules')
@ApiBearerAuth()
@Controller('v1/rules')
export class RulesController {
  constructor(
    @Inject(RuleRepository) private readonly rules: RuleRepository,
    @Inject(FlagRepository) private readonly flags: FlagRepository,
    @Inject(Backtester) private readonly backtester: Backtester,
    @Inject(AccessLogRepository) private readonly accessLog: AccessLogRepository,
    @Inject(CaseRepository) private readonly cases: CaseRepository,
    @Inject(PseudonymRepository) private readonly pseudonyms: PseudonymRepository,
  ) {}

  @Get()
  @Roles('rule_author', 'prosecutor', 'auditor', 'admin')
  @ApiOperation({ summary: 'Rules with their published version, latest version status and hit count' })
  async list() {
    const [rules, outcomes] = await Promise.all([this.rules.list(), this.cases.outcomesByRule()]);
    return rules.map((r) => {
      const o = outcomes.get(r.ruleId) ?? { hits: 0, decided: 0, substantiated: 0 };
      // Precision from case outcomes: substantiated of all decided; unknown until a case decides one.
      return { ...r, ...o, precision: o.decided === 0 ? null : o.substantiated / o.decided };
    });
  }

  @Get(':id')
  @Roles('rule_author', 'prosecutor', 'auditor', 'admin')
  @ApiOperation({ summary: 'Every version of a rule' })
  async versions(@Param('id') id: string) {
    const versions = await this.rules.versions(id);
    if (versions.length === 0) throw apiError(HttpStatus.NOT_FOUND, `no rule ${id}`, [{ path: 'id', message: 'unknown rule' }]);
    return versions;
  }

  @Put(':id/draft')
  @Roles('rule_author', 'admin')
  @ApiOperation({ summary: 'Save a draft (validated: unknown facts, operators or parameters are refused with their path)' })
  async saveDraft(@Param('id') id: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    const b = parseOr422(DraftBody, body);
    const rule = checked(b.definition, id);
    const saved = await this.rules.saveDraft(id, rule as unknown as Record<string, unknown>, principal.id);
    await this.accessLog.record({ principal: principal.id, roles: principal.roles, action: 'rule_draft', subjectKind: 'rule', subjectId: `${id}@${saved.version}` });
    return saved;
  }

  @Post(':id/versions/:version/submit')
  @HttpCode(200)
  @Roles('rule_author', 'admin')
  async submit(@Param('id') id: string, @Param('version', ParseIntPipe) version: number, @CurrentPrincipal() principal: Principal) {
    const result = await workflow(() => this.rules.submit(id, version));
    await this.accessLog.record({ principal: principal.id, roles: principal.roles, action: 'rule_submit', subjectKind: 'rule', subjectId: `${id}@${version}` });
    return result;
  }

  @Post(':id/versions/:version/approve')
  @HttpCode(200)
  @Roles('rule_author', 'admin')
  @ApiOperation({ summary: 'Approve a submitted version; the author cannot approve their own' })
  async approve(@Param('id') id: string, @Param('version', ParseIntPipe) version: number, @CurrentPrincipal() principal: Principal) {
    const current = await workflow(() => this.rules.get(id, version));
    checked(current.definition, id);
    const result = await workflow(() => this.rules.approve(id, version, principal.id));
    await this.accessLog.record({ principal: principal.id, roles: principal.roles, action: 'rule_approve', subjectKind: 'rule', subjectId: `${id}@${version}` });
    return result;
  }

  @Post(':id/versions/:version/publish')
  @HttpCode(200)
  @Roles('rule_author', 'admin')
  @ApiOperation({ summary: 'Publish an approved version; the previous one is retired and the workers use this one from now on' })
  async publish(@Param('id') id: string, @Param('version', ParseIntPipe) version: number, @CurrentPrincipal() principal: Principal) {
    const current = await workflow(() => this.rules.get(id, version));
    checked(current.definition, id);
    const result = await workflow(() => this.rules.publish(id, version, principal.id));
    await this.accessLog.record({ principal: principal.id, roles: principal.roles, action: 'rule_publish', subjectKind: 'rule', subjectId: `${id}@${version}` });
    return result;
  }

  @Post('backtest')
  @HttpCode(200)
  @Roles('rule_author', 'admin')
  @ApiOperation({ summary: 'What a draft would flag over a past range, the subjects added and removed against the published version, and counts per week' })
  async backtest(@Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    const b = parseOr422(BacktestBody, body);
    const draft = checked(b.definition);
    const published = await this.rules.published(draft.id);
    const publishedRule = published === null ? null : validateRule(published.definition);
    const result = await this.backtester.run(draft, publishedRule !== null && publishedRule.ok ? { definition: publishedRule.rule, version: published?.version ?? 0 } : null, {
      from: new Date(b.from),
      to: new Date(b.to),
    });
    if (!needsPseudonyms(principal)) return result;
    // Rule authors judge patterns, not people: officers and plates reach them as pseudonyms.
    const ids = [...result.flags.map((f) => f.subjectId), ...result.diff.added, ...result.diff.removed];
    const names = await Pseudonymiser.for(this.pseudonyms, draft.subject, ids);
    return {
      ...result,
      pseudonymised: true,
      flags: result.flags.map((f) => ({
        ...f,
        subjectId: names.subject(draft.subject, f.subjectId),
        explanation: Object.fromEntries(Object.entries(f.explanation).map(([k, v]) => [k, names.text(v)])),
      })),
      diff: { ...result.diff, added: result.diff.added.map((s) => names.subject(draft.subject, s)), removed: result.diff.removed.map((s) => names.subject(draft.subject, s)) },
    };
  }
}
