import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { simulateCity } from './city.js';
import { writeCity } from './write-city.js';

describe('writeCity', () => {
  let dir = '';
  afterAll(async () => {
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });

  it('writes events.ndjson, reference.json and truth.json that read back to the same city', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'qadaga-city-'));
    const city = simulateCity({ seed: 3, violations: 1_000 });
    const written = await writeCity(city, dir);
    const lines = (await readFile(path.join(dir, 'events.ndjson'), 'utf8')).trimEnd().split('\n');
    expect(lines.length).toBe(written.events);
    expect(written.violations).toBe(1_000);
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual([...city.events()]);
    expect(JSON.parse(await readFile(path.join(dir, 'reference.json'), 'utf8'))).toEqual(city.reference);
    expect(JSON.parse(await readFile(path.join(dir, 'truth.json'), 'utf8'))).toEqual(city.truth);
    expect(city.stats()).toEqual({ violations: 1_000, events: written.events });
  });
});
