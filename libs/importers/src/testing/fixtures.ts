import { fileURLToPath } from 'node:url';

/**
 * Paths of the files the specs read. The full RTFM log lives in the shared data folder
 * beside the repository (as on developer machines and in CI), never inside it.
 */
const here = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));

export const FIXTURES = {
  rtfmSampleXes: here('../../fixtures/rtfm-sample.xes'),
  rtfmSampleZip: here('../../fixtures/rtfm-sample.xes.zip'),
  registerBadRowsCsv: here('../../fixtures/register-bad-rows.csv'),
  rtfmMapping: here('../../mappings/rtfm.json'),
  registerExampleCsv: here('../../examples/register-current-state.csv'),
  registerExampleMapping: here('../../examples/register-current-state.mapping.json'),
  rtfmFullZip: here('../../../../../shared/data/rtfm/Road_Traffic_Fine_Management_Process.xes.zip'),
} as const;

/** One XES <event> element's text, as cut from a document by a plain regular expression. */
export interface RawXesEvent {
  trace: string;
  body: string;
}

/**
 * Splits an XES text into traces and events with regular expressions only, so the specs
 * check the streaming reader against a count it had no part in.
 */
export function scanXesText(xml: string): RawXesEvent[] {
  const events: RawXesEvent[] = [];
  for (const trace of xml.matchAll(/<trace>([\s\S]*?)<\/trace>/gu)) {
    const body = trace[1] ?? '';
    const beforeFirstEvent = body.split('<event>')[0] ?? '';
    const traceName = /<string key="concept:name" value="([^"]*)"\/>/u.exec(beforeFirstEvent)?.[1] ?? '';
    for (const event of body.matchAll(/<event>([\s\S]*?)<\/event>/gu)) events.push({ trace: traceName, body: event[1] ?? '' });
  }
  return events;
}

/** The value of one attribute of a raw event, by key, or undefined. */
export function rawAttribute(event: RawXesEvent, key: string): string | undefined {
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
  return new RegExp(`<[a-z]+ key="${escaped}" value="([^"]*)"/>`, 'u').exec(event.body)?.[1];
}
