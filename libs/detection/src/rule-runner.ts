import type pg from 'pg';
import { LRUCache } from 'lru-cache';
import type { SourceProfile, SubjectKind } from '@qadaga/domain';
import { computeFacts, computeFactsOverWindows, EVERY_FACT, profileHistoryDays, sourceProfiles, KINDS_SHARING_WINDOWS, limitConcurrency, windowEnding, withFactSession, type FactNeed, type FactSessionOptions, type SubjectFacts, type SubjectSelection } from '@qadaga/facts';
import { FlagRepository, RuleRepository, type FlagInput, type StoredRuleVersion } from '@qadaga/db';
import type { FlagDisplay, FlagDisplayPeer, PeerScope } from '@qadaga/contracts/api';
import { CheckedSubjects, evaluateFired, PEER_GROUP_FACTS, validateRule, type DisplayReading, type RuleDefinition, type Verdict } from '@qadaga/rules';

export interface PublishedRule {
  definition: RuleDefinition;
  version: number;
}

export interface EvaluationReport {
  rules: number;
  subjects: number;
  fired: number;
  raised: number;
  refreshed: number;
  /** Rules skipped because their stored definition no longer validates; they never run. */
  invalid: string[];
}

/**
 * Fact queries run at once: one per core of the smallest host, so two subject kinds scan
 * the ledger side by side while the engine judges the kinds already computed.
 */
const FACT_CONNECTIONS = 2;

/**
 * Fact sessions as the runner opens them unless told otherwise: no parallel workers per
 * query, since FACT_CONNECTIONS queries already share a host of as many cores (at 10M
 * events each kind's facts alone used 28 % less CPU so, and none took longer). A database
 * host with cores to spare can be given some (FACT_PARALLEL_WORKERS in the config).
 */
export const RUNNER_FACT_SESSION: Readonly<FactSessionOptions> = { parallelWorkers: 0 };

/** Fact names that describe the peer group rather than the subject: the flag's baseline. */
const BASELINE_FACT = /^(peer|city|unitExpired|daily|ewma)/u;

/** Most peers one display entry keeps; the rest are counted (FlagDisplayPeers.omitted). */
export const MAX_DISPLAY_PEERS = 200;

/**
 * How long the sources' profiles are reused for evaluations as of the same day. A profile
 * is one aggregate over the ledger's history; a sweep evaluates rule by rule, and pending
 * evaluations run every few seconds, while what a source sends changes over weeks.
 */
const PROFILE_TTL_MS = 10 * 60_000;

interface PeerGroup {
  /** Peers with a number for the fact, by value ascending. */
  values: { subjectId: string; value: number }[];
  /** Peers whose value of the fact is null or missing. */
  withoutValue: Set<string>;
}

function groupKeyOf(scope: PeerScope, facts: Readonly<Record<string, unknown>>): string {
  return JSON.stringify(PEER_GROUP_FACTS[scope].map((name) => (typeof facts[name] === 'string' ? facts[name] : null)));
}

/**
 * The peers' values of display facts, from the facts of the subjects evaluated together:
 * each (fact, scope) is grouped and sorted once, however many flags draw it.
 */
export class DisplayPeers {
  private readonly groups = new Map<string, Map<string, PeerGroup>>();

  constructor(private readonly subjects: readonly { id: string; facts: Readonly<Record<string, unknown>> }[]) {}

  private grouped(fact: string, scope: PeerScope): Map<string, PeerGroup> {
    const key = `${scope}|${fact}`;
    let groups = this.groups.get(key);
    if (groups === undefined) {
      groups = new Map();
      for (const subject of this.subjects) {
        const groupKey = groupKeyOf(scope, subject.facts);
        let group = groups.get(groupKey);
        if (group === undefined) {
          group = { values: [], withoutValue: new Set() };
          groups.set(groupKey, group);
        }
        const value = subject.facts[fact];
        if (typeof value === 'number' && Number.isFinite(value)) group.values.push({ subjectId: subject.id, value });
        else group.withoutValue.add(subject.id);
      }
      for (const group of groups.values()) group.values.sort((a, b) => a.value - b.value || (a.subjectId < b.subjectId ? -1 : 1));
      this.groups.set(key, groups);
    }
    return groups;
  }

  /**
   * The subject's peer group for one display entry: every peer's value, the subject's own
   * (from its verdict, so it is the number the explanation gives) marked self. Past
   * MAX_DISPLAY_PEERS the subject and MAX_DISPLAY_PEERS - 1 others spread evenly over the
   * others' sorted values (the lowest and the highest among them) are kept, so the drawn
   * distribution keeps its shape, and the rest are counted as omitted.
   */
  peersOf(reading: DisplayReading, subjectId: string, facts: Readonly<Record<string, unknown>>): FlagDisplay['peers'] {
    const scope = reading.peerScope;
    if (scope === undefined || typeof reading.value !== 'number') return null;
    const group = this.grouped(reading.fact, scope).get(groupKeyOf(scope, facts)) ?? { values: [], withoutValue: new Set<string>() };
    const others = group.values.filter((peer) => peer.subjectId !== subjectId);
    const all = [...others, { subjectId, value: reading.value }].sort((a, b) => a.value - b.value || (a.subjectId < b.subjectId ? -1 : 1));
    let kept = all;
    if (all.length > MAX_DISPLAY_PEERS) {
      // The subject, and the others spread evenly over their sorted values (the lowest and the highest among them).
      const sortedOthers = all.filter((peer) => peer.subjectId !== subjectId);
      const spread = MAX_DISPLAY_PEERS - 1;
      const picks = new Set<number>();
      for (let k = 0; k < spread; k += 1) picks.add(Math.round((k * (sortedOthers.length - 1)) / (spread - 1)));
      kept = [...[...picks].map((index) => sortedOthers[index] as (typeof all)[number]), { subjectId, value: reading.value }].sort(
        (a, b) => a.value - b.value || (a.subjectId < b.subjectId ? -1 : 1),
      );
    }
    const values: FlagDisplayPeer[] = kept.map((peer) => ({ subjectId: peer.subjectId, value: peer.value, self: peer.subjectId === subjectId }));
    const groupFacts = Object.fromEntries(PEER_GROUP_FACTS[scope].map((name) => [name, typeof facts[name] === 'string' ? (facts[name] as string) : null]));
    const withoutValue = group.withoutValue.size - (group.withoutValue.has(subjectId) ? 1 : 0);
    return { scope, group: groupFacts, values, total: all.length, omitted: all.length - values.length, withoutValue };
  }
}

/**
 * What the flag page draws: the display entries that fired, as the verdict read them (the
 * facts and parameters its explanation used), with the peers' values when the entry names
 * a peer group and the peers' facts are at hand.
 */
export function displayOf(verdict: Verdict, peers?: DisplayPeers): FlagDisplay[] {
  return verdict.display.map((reading) => {
    const { peerScope: _scope, ...shown } = reading;
    return { ...shown, peers: peers?.peersOf(reading, verdict.subjectId, verdict.facts) ?? null };
  });
}

/**
 * The facts the rules of each kind and window may read: every name their definitions
 * mention (conditions, display, score, explanation, evidence), so a kind whose facts come
 * in groups of separate cost computes only the groups some rule reads. Generous on
 * purpose: a word that only looks like a fact costs a computation, never a missing fact.
 */
export class FactNeeds {
  private readonly names = new Map<string, Set<string>>();
  private readonly signatures = new Map<string, string>();

  constructor(rules: readonly { definition: RuleDefinition }[]) {
    for (const { definition } of rules) {
      const key = `${definition.subject}|${definition.windowDays}`;
      const names = this.names.get(key) ?? new Set<string>();
      for (const word of JSON.stringify(definition).match(/[A-Za-z_][A-Za-z0-9_]*/gu) ?? []) names.add(word);
      this.names.set(key, names);
    }
    for (const [key, names] of this.names) this.signatures.set(key, [...names].sort().join(','));
  }

  of(kind: SubjectKind, days: number): FactNeed {
    const names = this.names.get(`${kind}|${days}`);
    return names === undefined ? EVERY_FACT : (fact) => names.has(fact);
  }

  signature(kind: SubjectKind, days: number): string {
    return this.signatures.get(`${kind}|${days}`) ?? '';
  }
}

export function flagInputOf(rule: RuleDefinition, verdict: Verdict, peers?: DisplayPeers): FlagInput {
  const facts = { ...verdict.facts };
  // The events the rule itself names as its evidence (a roll-up names the steps of the
  // violations it counts, not the kind's general evidence); the id lists are kept in the
  // evidence column, not repeated among the facts.
  const evidence = verdict.evidenceEventIds;
  for (const name of new Set(['evidenceEventIds', ...rule.evidence.eventIdFacts])) delete facts[name];
  const baseline = Object.fromEntries(Object.entries(facts).filter(([k]) => BASELINE_FACT.test(k)));
  const unit = typeof facts['unit'] === 'string' ? facts['unit'] : rule.subject === 'unit' ? verdict.subjectId : null;
  return {
    subjectKind: rule.subject,
    subjectId: verdict.subjectId,
    severity: rule.severity,
    score: verdict.score,
    qValue: verdict.qValue ?? null,
    explanation: verdict.explanation,
    facts: { ...facts, parameters: verdict.parameters },
    baseline,
    evidenceEventIds: evidence,
    display: displayOf(verdict, peers),
    unit,
    district: typeof facts['district'] === 'string' ? facts['district'] : null,
  };
}

/**
 * Evaluates published rules over subjects and stores what fires as flags. Facts are
 * computed once per subject kind and window and shared by every rule that needs them;
 * the engine then runs once per rule over the subjects' facts, never per raw event.
 * Rules that test many subjects at once (Benjamini-Hochberg) are always evaluated over
 * the whole family of subjects, so re-evaluating one subject gives the same answer as a
 * sweep, and only the requested subjects' flags are stored. Every kind's facts are
 * started up front (at most FACT_CONNECTIONS at a time), so the database computes the
 * next kinds while the engine evaluates and flags are stored for the first.
 */
export class RuleRunner {
  private readonly rules: RuleRepository;
  private readonly flags: FlagRepository;

  /**
   * Facts of whole families (for rules corrected over all subjects) kept between
   * incremental evaluations; the subjects being re-evaluated are always recomputed fresh
   * and replace their entries, so only their peers' facts can be this old.
   */
  private readonly families: LRUCache<string, SubjectFacts[]> | null;

  private readonly factSlots: <T>(task: () => Promise<T>) => Promise<T>;

  private readonly factSession: FactSessionOptions;

  private computeFacts(
    kind: SubjectKind,
    days: number,
    asOf: Date,
    selection: SubjectSelection,
    needs: FactNeeds,
    profiles: readonly SourceProfile[],
    factsFrom: pg.Pool = this.pool,
  ): Promise<SubjectFacts[]> {
    const window = windowEnding(asOf, days, this.timeZone);
    const need = needs.of(kind, days);
    return this.factSlots(() => withFactSession(factsFrom, (db) => computeFacts(db, kind, window, selection, need, profiles), this.factSession));
  }

  private readonly profiles = new LRUCache<string, Promise<readonly SourceProfile[]>>({ max: 8, ttl: PROFILE_TTL_MS });

  /**
   * What each source sends, as the ledger stood at `asOf` (to the day: evaluations of the
   * same day share one), deciding which of its subjects' facts can be judged; read where
   * the facts are (`factsFrom`, the runner's pool unless given).
   */
  sourceProfiles(asOf: Date, factsFrom: pg.Pool = this.pool, longestWindowDays = 0): Promise<readonly SourceProfile[]> {
    const day = new Date(Math.ceil(asOf.getTime() / 86_400_000) * 86_400_000);
    // As far back as the longest window judged reaches, and never less than the profile's own history.
    const historyDays = profileHistoryDays(longestWindowDays);
    const key = `${day.toISOString()}|${historyDays}`;
    let cached = this.profiles.get(key);
    if (cached === undefined) {
      cached = this.factSlots(() => withFactSession(factsFrom, (db) => sourceProfiles(db, day, historyDays), this.factSession));
      cached.catch(() => this.profiles.delete(key));
      this.profiles.set(key, cached);
    }
    return cached;
  }

  constructor(
    private readonly pool: pg.Pool,
    rules: RuleRepository,
    private readonly timeZone: string,
    options: { familyCacheMs?: number; factConnections?: number; factParallelWorkers?: number } = {},
  ) {
    this.factSlots = limitConcurrency(options.factConnections ?? FACT_CONNECTIONS);
    this.factSession = { parallelWorkers: options.factParallelWorkers ?? RUNNER_FACT_SESSION.parallelWorkers };
    this.rules = rules;
    this.flags = new FlagRepository(pool);
    this.families = (options.familyCacheMs ?? 0) > 0 ? new LRUCache({ max: 64, ttl: options.familyCacheMs ?? 0 }) : null;
  }

  private async familyWith(
    kind: SubjectKind,
    days: number,
    asOf: Date,
    fresh: SubjectFacts[],
    needs: FactNeeds,
    profiles: readonly SourceProfile[],
    factsFrom: pg.Pool,
  ): Promise<SubjectFacts[]> {
    // The facts read belong to the key: a rule published later that reads more gets a family of its own.
    const key = `${kind}|${days}|${needs.signature(kind, days)}`;
    let family = this.families?.get(key);
    if (family === undefined) {
      family = await this.computeFacts(kind, days, asOf, { all: true }, needs, profiles, factsFrom);
      this.families?.set(key, family);
      return family;
    }
    const replaced = new Map(fresh.map((f) => [f.id, f]));
    return [...family.filter((f) => !replaced.has(f.id)), ...fresh];
  }

  /**
   * Kinds whose windows cost less computed together (a violation's facts do not depend on
   * where the window starts) get one computation for all their windows of the sweep, and
   * each window's entry in the cache is its share of it.
   */
  private shareWindows(
    planned: readonly ({ rule: RuleDefinition; selection: SubjectSelection } | null)[],
    asOf: Date,
    factCache: Map<string, Promise<SubjectFacts[]>>,
    profiles: readonly SourceProfile[],
    factsFrom: pg.Pool,
  ): void {
    const daysOf = new Map<SubjectKind, Set<number>>();
    for (const p of planned) {
      if (p === null || !('all' in p.selection) || !KINDS_SHARING_WINDOWS.has(p.rule.subject)) continue;
      daysOf.set(p.rule.subject, (daysOf.get(p.rule.subject) ?? new Set()).add(p.rule.windowDays));
    }
    for (const [kind, set] of daysOf) {
      if (set.size < 2) continue;
      const days = [...set];
      const windows = days.map((d) => windowEnding(asOf, d, this.timeZone));
      const all = this.factSlots(() => withFactSession(factsFrom, (db) => computeFactsOverWindows(db, kind, windows, { all: true }, profiles), this.factSession));
      days.forEach((d, i) => {
        const share = all.then((perWindow) => perWindow[i] ?? []);
        share.catch(() => undefined);
        factCache.set(`${kind}|${d}|*`, share);
      });
    }
  }

  /**
   * The subjects whose facts give the peers' values drawn beside a flag. A sweep (and a
   * rule tested over its whole family) already holds every subject of the kind. A pending
   * evaluation holds only the few subjects touched; their peers' values then come from the
   * facts of the whole kind, computed through @qadaga/facts (once per kind and window for
   * the run, shared with the family rules that need them anyway) or, with the family cache,
   * from it (peers' facts at most familyCacheMs old, the subject's own always fresh). Only
   * when some fired entry names a peer group: most pending evaluations raise nothing.
   */
  private async peersFor(
    plan: { rule: RuleDefinition; wanted: string[] | undefined; viaFamilyCache: boolean; selection: SubjectSelection },
    subjects: SubjectFacts[],
    fired: readonly Verdict[],
    asOf: Date,
    factsFor: (kind: SubjectKind, days: number, selection: SubjectSelection) => Promise<SubjectFacts[]>,
    needs: FactNeeds,
    profiles: readonly SourceProfile[],
    factsFrom: pg.Pool,
  ): Promise<DisplayPeers | undefined> {
    if (!fired.some((verdict) => verdict.display.some((reading) => reading.peerScope !== undefined))) return undefined;
    const { rule } = plan;
    if ('all' in plan.selection || plan.viaFamilyCache) return new DisplayPeers(subjects);
    const family = this.families !== null ? await this.familyWith(rule.subject, rule.windowDays, asOf, subjects, needs, profiles, factsFrom) : await factsFor(rule.subject, rule.windowDays, { all: true });
    return new DisplayPeers(family);
  }

  async publishedRules(filter?: { ruleIds?: string[]; subject?: SubjectKind }): Promise<{ rules: PublishedRule[]; invalid: string[] }> {
    const stored = await this.rules.allPublished();
    const rules: PublishedRule[] = [];
    const invalid: string[] = [];
    for (const s of stored) {
      if (filter?.ruleIds !== undefined && !filter.ruleIds.includes(s.ruleId)) continue;
      const checked = validateRule(s.definition);
      if (!checked.ok) {
        invalid.push(`${s.ruleId}@${s.version}`);
        continue;
      }
      if (filter?.subject !== undefined && checked.rule.subject !== filter.subject) continue;
      rules.push({ definition: checked.rule, version: s.version });
    }
    return { rules, invalid };
  }

  /**
   * Facts are read on `factsFrom` when given (a sweep's replica, once it has replayed what
   * the primary held when the sweep fixed its instant), else on the runner's pool; flags
   * are always written on the runner's pool, the primary.
   */
  async evaluate(options: { asOf: Date; selection?: Map<SubjectKind, string[]>; ruleIds?: string[]; factsFrom?: pg.Pool }): Promise<EvaluationReport> {
    const factsFrom = options.factsFrom ?? this.pool;
    const { rules, invalid } = await this.publishedRules(options.ruleIds === undefined ? {} : { ruleIds: options.ruleIds });
    const report: EvaluationReport = { rules: 0, subjects: 0, fired: 0, raised: 0, refreshed: 0, invalid };
    // What every published rule of a kind and window may read, not only the rules of this run:
    // facts of one kind and window are shared (and cached) across rules.
    const published = options.ruleIds === undefined ? rules : (await this.publishedRules()).rules;
    const needs = new FactNeeds(published);
    const factCache = new Map<string, Promise<SubjectFacts[]>>();
    // Over every published rule too, so each part of a sweep split by rule judges by the same profiles.
    const profiles = rules.length === 0 ? [] : await this.sourceProfiles(options.asOf, factsFrom, longestWindow(published.map((r) => r.definition)));
    const factsFor = (kind: SubjectKind, days: number, selection: SubjectSelection) => {
      const key = `${kind}|${days}|${'all' in selection ? '*' : [...selection.ids].sort().join(',')}`;
      let cached = factCache.get(key);
      if (cached === undefined) {
        cached = this.computeFacts(kind, days, options.asOf, selection, needs, profiles, factsFrom);
        // Awaited in rule order below; until then a failure must not count as unhandled.
        cached.catch(() => undefined);
        factCache.set(key, cached);
      }
      return cached;
    };
    const planned = rules.map(({ definition: rule, version }) => {
      const wanted = options.selection?.get(rule.subject);
      if (options.selection !== undefined && (wanted === undefined || wanted.length === 0)) return null;
      const family = rule.multipleTesting !== undefined || wanted === undefined;
      const viaFamilyCache = wanted !== undefined && rule.multipleTesting !== undefined && this.families !== null;
      const selection: SubjectSelection = viaFamilyCache ? { ids: wanted } : family ? { all: true } : { ids: wanted ?? [] };
      return { rule, version, wanted, viaFamilyCache, selection };
    });
    this.shareWindows(planned, options.asOf, factCache, profiles, factsFrom);
    // Rules of one kind and window share their subjects: their fact types are checked, and
    // their q-values computed, once for all of them rather than once per rule.
    const checked = new WeakMap<readonly SubjectFacts[], CheckedSubjects>();
    const checkedOnce = (kind: SubjectKind, subjects: readonly SubjectFacts[]): CheckedSubjects => {
      let entry = checked.get(subjects);
      if (entry === undefined || entry.kind !== kind) {
        entry = new CheckedSubjects(kind, subjects);
        checked.set(subjects, entry);
      }
      return entry;
    };
    for (const p of planned) if (p !== null) void factsFor(p.rule.subject, p.rule.windowDays, p.selection);
    for (const p of planned) {
      if (p === null) continue;
      const { rule, version, wanted } = p;
      const fresh = await factsFor(rule.subject, rule.windowDays, p.selection);
      const subjects = p.viaFamilyCache ? await this.familyWith(rule.subject, rule.windowDays, options.asOf, fresh, needs, profiles, factsFrom) : fresh;
      // Only fired verdicts become flags, so only those are built (facts copied, explanations
      // rendered); every one of them is json-rules-engine's verdict (see engine-confirms).
      const verdicts = await evaluateFired(rule, checkedOnce(rule.subject, subjects), { conditionEvaluator: 'engine-confirms' });
      const keep = wanted === undefined ? null : new Set(wanted);
      const fired = verdicts.filter((v) => keep === null || keep.has(v.subjectId));
      const window = windowEnding(options.asOf, rule.windowDays, this.timeZone);
      const peers = await this.peersFor(p, subjects, fired, options.asOf, factsFor, needs, profiles, factsFrom);
      const stored = await this.flags.upsert({ ruleId: rule.id, version, scheme: rule.detects }, window, fired.map((v) => flagInputOf(rule, v, peers)));
      report.rules += 1;
      report.subjects += keep === null ? subjects.length : keep.size;
      report.fired += fired.length;
      report.raised += stored.raised;
      report.refreshed += stored.refreshed;
    }
    return report;
  }
}

export type { StoredRuleVersion };

/** The longest window, in days, of the rules judged (0 for none). */
export function longestWindow(rules: readonly { windowDays: number }[]): number {
  return rules.reduce((longest, rule) => Math.max(longest, rule.windowDays), 0);
}
