/**
 * Profiles an XES log before a mapping is written for it: per activity, how often it
 * occurs and which attributes (with their XES types) it carries; for each attribute,
 * its distinct values when there are few, or how many distinct values there are.
 *
 *   npx tsx libs/importers/scripts/explore-xes.ts <log.xes | log.xes.zip> [activity-attribute]
 */
import { readXesTraces } from '../src/xes/read-xes-traces.js';

const FEW_VALUES = 25;
/** Past this many distinct values per attribute the profile stops collecting them. */
const VALUE_CAP = 100_000;

interface AttributeProfile {
  types: Map<string, number>;
  present: number;
  values: Map<string, number>;
  capped: boolean;
}

function profileOf(table: Map<string, Map<string, AttributeProfile>>, activity: string, key: string): AttributeProfile {
  let byKey = table.get(activity);
  if (byKey === undefined) table.set(activity, (byKey = new Map()));
  let profile = byKey.get(key);
  if (profile === undefined) byKey.set(key, (profile = { types: new Map(), present: 0, values: new Map(), capped: false }));
  return profile;
}

async function main(): Promise<void> {
  const [path, activityKey = 'concept:name'] = process.argv.slice(2);
  if (path === undefined) throw new Error('usage: explore-xes.ts <log.xes|log.xes.zip> [activity-attribute]');
  const started = performance.now();
  const activityCounts = new Map<string, number>();
  const table = new Map<string, Map<string, AttributeProfile>>();
  const traceKeys = new Map<string, number>();
  let traces = 0;
  let events = 0;
  let maxEventsPerTrace = 0;
  for await (const trace of readXesTraces(path)) {
    traces += 1;
    maxEventsPerTrace = Math.max(maxEventsPerTrace, trace.events.length);
    for (const key of trace.attributes.keys()) traceKeys.set(key, (traceKeys.get(key) ?? 0) + 1);
    for (const event of trace.events) {
      events += 1;
      const activity = event.attributes.get(activityKey)?.raw ?? '(none)';
      activityCounts.set(activity, (activityCounts.get(activity) ?? 0) + 1);
      for (const [key, attribute] of event.attributes) {
        const profile = profileOf(table, activity, key);
        profile.present += 1;
        profile.types.set(attribute.type, (profile.types.get(attribute.type) ?? 0) + 1);
        if (profile.values.size < VALUE_CAP || profile.values.has(attribute.raw)) {
          profile.values.set(attribute.raw, (profile.values.get(attribute.raw) ?? 0) + 1);
        } else {
          profile.capped = true;
        }
      }
    }
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(`traces ${traces}, events ${events}, max events per trace ${maxEventsPerTrace}, ${seconds.toFixed(1)} s`);
  console.log(`trace attributes: ${[...traceKeys].map(([k, n]) => `${k} (${n})`).join(', ')}`);
  for (const [activity, count] of [...activityCounts].sort((a, b) => b[1] - a[1])) {
    console.log(`\n${activity}: ${count}`);
    for (const [key, profile] of table.get(activity) ?? []) {
      if (key === activityKey) continue;
      const types = [...profile.types].map(([t, n]) => (n === profile.present ? t : `${t}×${n}`)).join('|');
      const distinct = `${profile.values.size}${profile.capped ? '+' : ''} distinct`;
      const shown =
        profile.values.size <= FEW_VALUES
          ? [...profile.values].sort((a, b) => b[1] - a[1]).map(([v, n]) => `${v}=${n}`).join(', ')
          : distinct;
      console.log(`  ${key} [${types}] on ${profile.present}: ${shown}`);
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
