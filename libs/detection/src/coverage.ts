import type pg from 'pg';
import { profileSupports, type SourceProfile, type SubjectKind } from '@qadaga/domain';
import { computeFacts, FACT_JUDGEMENT, PARAMETERS_FACT, windowEnding, withFactSession, type FactJudgement, type JudgementCode, type SubjectFacts } from '@qadaga/facts';
import type { RuleDefinition } from '@qadaga/rules';
import { longestWindow, type RuleRunner } from './rule-runner.js';

/** Whether a rule can judge one source's data: wholly, for some of its ways of firing, or not at all. */
export type SourceJudgement = 'judges' | 'partly' | 'cannot';

export interface RuleSourceCoverage {
  source: string;
  judges: SourceJudgement;
  /** The facts the rule reads that this source's data cannot support, each with why. */
  unsupported: { fact: string; reason: string; code: JudgementCode }[];
}

export interface RuleCoverage {
  ruleId: string;
  version: number;
  subject: SubjectKind;
  windowDays: number;
  /** The facts the rule's conditions read that only some sources' data can support. */
  needs: { fact: string; reason: string; code: JudgementCode }[];
  /** Per source profiled; empty when the rule needs nothing of a source. */
  sources: RuleSourceCoverage[];
  /** Subjects in the window with facts computed. */
  subjects: number;
  /** Subjects with something the rule could not judge for lack of data. */
  subjectsPartlyJudged: number;
  /** Subjects with nothing the rule could judge at all: silent, not clean. */
  subjectsNotJudged: number;
  /** Items (decisions, notices, detections, payments) not judged, summed over the subjects. */
  itemsNotJudged: number;
}

export interface CoverageReport {
  asOf: string;
  sources: SourceProfile[];
  rules: RuleCoverage[];
}

/** Every fact a rule's conditions compare (parameters aside). */
export function conditionFacts(rule: Pick<RuleDefinition, 'conditions'> & { namedConditions?: unknown }): string[] {
  const facts = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node !== null && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'fact' && typeof value === 'string' && value !== PARAMETERS_FACT) facts.add(value);
        else walk(value);
      }
    }
  };
  walk(rule.conditions);
  walk(rule.namedConditions);
  return [...facts].sort();
}

function supports(judgement: FactJudgement, profile: SourceProfile, treasuries: readonly SourceProfile[]): boolean {
  return judgement.of === 'treasury' ? treasuries.some((t) => profileSupports(t, judgement.need)) : profileSupports(profile, judgement.need);
}

/**
 * Per published rule and source: whether the rule can judge that source's data, and how
 * many subjects and items it could not judge for lack of a fact, so a silent rule is told
 * apart from a rule that found nothing. The counts come from the facts the rule would be
 * judged on (the same computation as a sweep's, as of `asOf`).
 */
export async function coverageReport(pool: pg.Pool, runner: RuleRunner, timeZone: string, asOf: Date): Promise<CoverageReport> {
  const { rules } = await runner.publishedRules();
  const profiles = [...(await runner.sourceProfiles(asOf, undefined, longestWindow(rules.map((r) => r.definition))))];
  const kinds = (await pool.query<{ code: string; kind: string }>('SELECT code, kind FROM source_system')).rows;
  const treasuries = profiles.filter((p) => kinds.some((k) => k.code === p.source && k.kind === 'treasury'));
  const factCache = new Map<string, Promise<SubjectFacts[]>>();
  const factsOf = (kind: SubjectKind, days: number): Promise<SubjectFacts[]> => {
    const key = `${kind}|${days}`;
    let cached = factCache.get(key);
    if (cached === undefined) {
      cached = withFactSession(pool, (db) => computeFacts(db, kind, windowEnding(asOf, days, timeZone), { all: true }, undefined, profiles));
      factCache.set(key, cached);
    }
    return cached;
  };
  const out: RuleCoverage[] = [];
  for (const { definition: rule, version } of rules) {
    const read = conditionFacts(rule);
    const needs = read.flatMap((fact) => (FACT_JUDGEMENT[fact] === undefined ? [] : [{ fact, judgement: FACT_JUDGEMENT[fact] }]));
    const coverage: RuleCoverage = {
      ruleId: rule.id,
      version,
      subject: rule.subject,
      windowDays: rule.windowDays,
      needs: needs.map((n) => ({ fact: n.fact, reason: n.judgement.reason, code: n.judgement.code })),
      sources: [],
      subjects: 0,
      subjectsPartlyJudged: 0,
      subjectsNotJudged: 0,
      itemsNotJudged: 0,
    };
    if (needs.length > 0) {
      coverage.sources = profiles.map((profile) => {
        const unsupported = needs.filter((n) => !supports(n.judgement, profile, treasuries)).map((n) => ({ fact: n.fact, reason: n.judgement.reason, code: n.judgement.code }));
        // A rule reading other facts besides can still fire on them (rubber-stamping's absences).
        const judges: SourceJudgement = unsupported.length === 0 ? 'judges' : unsupported.length === read.length ? 'cannot' : 'partly';
        return { source: profile.source, judges, unsupported };
      });
      const subjects = await factsOf(rule.subject, rule.windowDays);
      const counters = [...new Map(needs.map((n) => [n.judgement.notJudged, n.judgement])).values()];
      coverage.subjects = subjects.length;
      for (const subject of subjects) {
        const notJudged = counters.reduce((sum, c) => sum + Number(subject.facts[c.notJudged] ?? 0), 0);
        if (notJudged === 0) continue;
        coverage.itemsNotJudged += notJudged;
        const nothingJudged = counters.every((c) => c.judged !== null && Number(subject.facts[c.judged] ?? 0) === 0);
        if (nothingJudged) coverage.subjectsNotJudged += 1;
        else coverage.subjectsPartlyJudged += 1;
      }
    }
    out.push(coverage);
  }
  return { asOf: asOf.toISOString(), sources: profiles, rules: out };
}
