/**
 * Cuts the small RTFM fixture the specs run on: whole traces chosen so that every
 * activity, every kind of dismissal, both appeal paths, penalties and repeated payments
 * occur, re-serialised from the streaming reader's output (attributes in their original
 * order, values verbatim). Rerun it to regenerate the fixture:
 *
 *   npx tsx libs/importers/scripts/cut-rtfm-fixture.ts <RTFM .xes.zip> libs/importers/fixtures/rtfm-sample.xes
 *
 * The zipped copy puts a macOS resource-fork entry first, as archivers on a Mac do, so the
 * specs prove the reader skips it:
 *
 *   mkdir -p /tmp/fork/__MACOSX && printf 'Mac OS X resource fork, not XML' > /tmp/fork/__MACOSX/._rtfm-sample.xes
 *   (cd /tmp/fork && zip -X ../rtfm-sample.xes.zip __MACOSX/._rtfm-sample.xes)
 *   (cd libs/importers/fixtures && mv /tmp/rtfm-sample.xes.zip . && zip -X rtfm-sample.xes.zip rtfm-sample.xes)
 */
import { writeFile } from 'node:fs/promises';
import type { XesAttribute, XesAttributes, XesLogHeader, XesTrace } from '../src/xes/xes-model.js';
import { readXesTraces } from '../src/xes/read-xes-traces.js';

function escapeXml(text: string): string {
  return text.replace(/&/gu, '&amp;').replace(/</gu, '&lt;').replace(/>/gu, '&gt;').replace(/"/gu, '&quot;');
}

function serialiseAttribute(attribute: XesAttribute, indent: string): string {
  const value = attribute.type === 'list' || attribute.type === 'container' ? '' : ` value="${escapeXml(attribute.raw)}"`;
  const open = `${indent}<${attribute.type} key="${escapeXml(attribute.key)}"${value}`;
  if (attribute.children === undefined || attribute.children.size === 0) return `${open}/>\n`;
  return `${open}>\n${serialiseAttributes(attribute.children, `${indent}\t`)}${indent}</${attribute.type}>\n`;
}

function serialiseAttributes(attributes: XesAttributes, indent: string): string {
  return [...attributes.values()].filter((a) => a.fromGlobal !== true).map((a) => serialiseAttribute(a, indent)).join('');
}

function serialiseTrace(trace: XesTrace): string {
  const events = trace.events.map((e) => `\t\t<event>\n${serialiseAttributes(e.attributes, '\t\t\t')}\t\t</event>\n`).join('');
  return `\t<trace>\n${serialiseAttributes(trace.attributes, '\t\t')}${events}\t</trace>\n`;
}

const activityOf = (trace: XesTrace, i: number): string => trace.events[i]?.attributes.get('concept:name')?.raw ?? '';
const activities = (trace: XesTrace): string[] => trace.events.map((_, i) => activityOf(trace, i));
const dismissalOn = (trace: XesTrace, activity: string): string | undefined =>
  trace.events.find((e) => e.attributes.get('concept:name')?.raw === activity)?.attributes.get('dismissal')?.raw;

/** Named selection rules, each with how many traces it takes; a trace is taken once, by the first rule that wants it. */
const RULES: { name: string; quota: number; wants: (t: XesTrace) => boolean }[] = [
  ...['A', 'T', 'D', 'I', 'N', 'U', '5', 'V', '@', 'C'].map((code) => ({
    name: `Create Fine dismissal ${code}`,
    quota: 1,
    wants: (t: XesTrace) => dismissalOn(t, 'Create Fine') === code,
  })),
  { name: 'prefecture dismissal # then result', quota: 2, wants: (t) => dismissalOn(t, 'Send Appeal to Prefecture') === '#' && activities(t).includes('Receive Result Appeal from Prefecture') },
  { name: 'prefecture dismissal #', quota: 2, wants: (t) => dismissalOn(t, 'Send Appeal to Prefecture') === '#' },
  ...['D', 'C', '$'].map((code) => ({ name: `prefecture dismissal ${code}`, quota: 1, wants: (t: XesTrace) => dismissalOn(t, 'Send Appeal to Prefecture') === code })),
  { name: 'judge dismissal G', quota: 3, wants: (t) => dismissalOn(t, 'Appeal to Judge') === 'G' },
  { name: 'judge appeal without dismissal', quota: 2, wants: (t) => dismissalOn(t, 'Appeal to Judge') === 'NIL' },
  { name: 'prefecture appeal upheld, notified', quota: 3, wants: (t) => dismissalOn(t, 'Send Appeal to Prefecture') === 'NIL' && activities(t).includes('Notify Result Appeal to Offender') },
  { name: 'appeal result without Send Appeal', quota: 2, wants: (t) => activities(t).includes('Receive Result Appeal from Prefecture') && !activities(t).includes('Send Appeal to Prefecture') },
  { name: 'appeal pending at prefecture', quota: 1, wants: (t) => activities(t).at(-1) === 'Send Appeal to Prefecture' && dismissalOn(t, 'Send Appeal to Prefecture') === 'NIL' },
  { name: 'penalty then payment', quota: 4, wants: (t) => activities(t).includes('Add penalty') && activities(t).includes('Payment') },
  { name: 'three or more payments', quota: 3, wants: (t) => activities(t).filter((a) => a === 'Payment').length >= 3 },
  { name: 'credit collection', quota: 3, wants: (t) => activities(t).includes('Send for Credit Collection') },
  { name: 'notification type C', quota: 1, wants: (t) => t.events.some((e) => e.attributes.get('notificationType')?.raw === 'C') },
  { name: 'sent, never notified', quota: 3, wants: (t) => activities(t).join('>') === 'Create Fine>Send Fine' },
  { name: 'paid on the spot', quota: 3, wants: (t) => activities(t).join('>') === 'Create Fine>Payment' },
];

async function main(): Promise<void> {
  const [input, output] = process.argv.slice(2);
  if (input === undefined || output === undefined) throw new Error('usage: cut-rtfm-fixture.ts <log.xes.zip> <out.xes>');
  let header: XesLogHeader | undefined;
  const taken = new Map<string, number>();
  const chosen: XesTrace[] = [];
  for await (const trace of readXesTraces(input, { onHeader: (h) => (header = h) })) {
    const rule = RULES.find((r) => (taken.get(r.name) ?? 0) < r.quota && r.wants(trace));
    if (rule === undefined) continue;
    taken.set(rule.name, (taken.get(rule.name) ?? 0) + 1);
    chosen.push(trace);
  }
  if (header === undefined) throw new Error('no log header');
  const extensions = header.extensions.map((e) => `\t<extension name="${e.name}" prefix="${e.prefix}" uri="${e.uri}"/>\n`).join('');
  const classifiers = header.classifiers.map((c) => `\t<classifier name="${c.name}" keys="${c.keys}"/>\n`).join('');
  // The full log's meta_* statistics describe 150,370 traces, not this sample, so they are left out.
  const logAttributes = [...header.attributes.values()].filter((a) => a.key === 'meta_3TU:language' || a.key === 'meta_3TU:creation_place');
  const xml =
    '<?xml version="1.0" encoding="UTF-8" ?>\n' +
    '<!-- A sample of the Road Traffic Fine Management Process log: M. de Leoni and F. Mannhardt, 4TU.ResearchData, doi:10.4121/uuid:270fd440-1057-4fb9-89a9-b699b47990f5 -->\n' +
    '<!-- Cut by libs/importers/scripts/cut-rtfm-fixture.ts; traces unchanged, in their original order. -->\n' +
    `<log xes.version="${header.xesVersion ?? '1.0'}" xes.features="${header.features ?? ''}">\n` +
    extensions +
    classifiers +
    logAttributes.map((a) => serialiseAttribute(a, '\t')).join('') +
    chosen.map(serialiseTrace).join('') +
    '</log>\n';
  await writeFile(output, xml);
  for (const rule of RULES) console.log(`${taken.get(rule.name) ?? 0}/${rule.quota} ${rule.name}`);
  console.log(`${chosen.length} traces, ${chosen.reduce((n, t) => n + t.events.length, 0)} events, ${xml.length} bytes`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
