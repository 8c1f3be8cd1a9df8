import type { Command } from 'commander';
import { computeFacts } from '@qadaga/facts';
import { evaluateRule, explain, loadRulePack, resolveParameters, type Language } from '@qadaga/rules';
import { openContext } from '../context.js';
import { createOutput } from '../output.js';

export interface RankedSubject {
  rank: number;
  subjectId: string;
  score: number;
  fired: boolean;
  qValue: number | null;
  facts: Record<string, unknown>;
}

/**
 * Ranks every subject of a rule's kind by the rule's score over a chosen period, and
 * explains the top ones: how a prosecutor reads a whole log (say, all officers of an
 * imported register) through one rule.
 */
export function registerRank(program: Command): void {
  program
    .command('rank')
    .description("rank every subject of a built-in rule's kind by its score over a period, and explain the top ones")
    .requiredOption('--rule <id>', 'a built-in rule, e.g. officer-dismissal-share')
    .requiredOption('--from <instant>', 'start of the period (ISO 8601)')
    .requiredOption('--to <instant>', 'end of the period (ISO 8601)')
    .option('--top <n>', 'how many to explain', '5')
    .option('--lang <en|ru|kk>', 'language of the explanations', 'en')
    .option('--json', 'print { rule, subjects, ranked, top } as the last line')
    .action(async (options: { rule: string; from: string; to: string; top: string; lang: string; json?: boolean }) => {
      const rule = loadRulePack().find((r) => r.id === options.rule);
      if (rule === undefined) throw new Error(`--rule: no built-in rule ${options.rule}`);
      const from = new Date(options.from);
      const to = new Date(options.to);
      if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || from >= to) throw new Error('--from and --to: two instants, the first before the second');
      const lang = (['en', 'ru', 'kk'].includes(options.lang) ? options.lang : 'en') as Language;
      const ctx = openContext();
      try {
        const subjects = await computeFacts(ctx.pool, rule.subject, { from, to, timeZone: ctx.config.timeZone }, { all: true });
        // The period, not the rule's usual window, is what is judged here.
        const verdicts = await evaluateRule({ ...rule, windowDays: Math.round((to.getTime() - from.getTime()) / 86_400_000) }, subjects);
        const ranked: RankedSubject[] = verdicts
          .map((v) => ({ subjectId: v.subjectId, score: v.score, fired: v.fired, qValue: v.qValue ?? null, facts: v.facts }))
          .sort((a, b) => b.score - a.score)
          .map((v, i) => ({ rank: i + 1, ...v }));
        // The top of the ranking is explained whether or not it crosses the rule's threshold:
        // a ranking is read from the top.
        const judged = { ...rule, windowDays: Math.round((to.getTime() - from.getTime()) / 86_400_000) };
        const parameters = resolveParameters(judged);
        const top = ranked.slice(0, Number(options.top)).map((r) => ({
          subjectId: r.subjectId,
          score: r.score,
          flagged: r.fired,
          explanation: explain(judged, { subjectId: r.subjectId, windowDays: judged.windowDays, facts: r.facts, parameters })[lang],
        }));
        const slim = ranked.map(({ facts, ...r }) => ({ ...r, share: facts['dismissalShare'] ?? facts['adverseShare'] ?? null }));
        const human = [
          `${rule.id}: ${ranked.length} subjects ranked, ${ranked.filter((r) => r.fired).length} flagged`,
          ...ranked.slice(0, 15).map((r) => `${String(r.rank).padStart(4)}. ${r.subjectId.padEnd(20)} score ${r.score.toFixed(1).padStart(7)}${r.fired ? '  FLAGGED' : ''}`),
          '',
          ...top.map((t) => `- ${t.explanation}`),
        ].join('\n');
        createOutput(options.json === true).result({ rule: rule.id, subjects: ranked.length, ranked: slim, top }, human);
      } finally {
        await ctx.close();
      }
    });
}
