import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CityStats, SimulatedCity } from './city.js';

/**
 * Writes a city to a directory: events.ndjson (one event per line, streamed with
 * back-pressure so a stream of any size never sits in memory), reference.json and
 * truth.json.
 */
export async function writeCity(city: SimulatedCity, dir: string): Promise<CityStats & { files: string[] }> {
  await mkdir(dir, { recursive: true });
  const eventsFile = path.join(dir, 'events.ndjson');
  const out = createWriteStream(eventsFile, { encoding: 'utf8' });
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  let events = 0;
  let detected = 0;
  let chunk = '';
  for (const event of city.events()) {
    events += 1;
    if (event.type === 'detected') detected += 1;
    chunk += `${JSON.stringify(event)}\n`;
    if (chunk.length >= 1 << 16) {
      if (!out.write(chunk)) await Promise.race([once(out, 'drain'), failed]);
      chunk = '';
    }
  }
  out.end(chunk);
  await Promise.race([once(out, 'finish'), failed]);

  const referenceFile = path.join(dir, 'reference.json');
  const truthFile = path.join(dir, 'truth.json');
  await writeFile(referenceFile, `${JSON.stringify(city.reference)}\n`);
  await writeFile(truthFile, `${JSON.stringify(city.truth, null, 2)}\n`);
  return { violations: detected, events, files: [eventsFile, referenceFile, truthFile] };
}
