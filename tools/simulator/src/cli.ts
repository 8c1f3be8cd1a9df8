import { parseArgs } from 'node:util';
import { DEFAULT_END, simulateCity } from './city.js';
import { writeCity } from './write-city.js';

/**
 * Writes a simulated city to a directory:
 *   node --import tsx tools/simulator/src/cli.ts --seed 7 --violations 100000 --out ./city [--end ISO] [--months 12]
 */
const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    violations: { type: 'string', default: '5000' },
    out: { type: 'string', default: './city' },
    end: { type: 'string', default: DEFAULT_END },
    months: { type: 'string', default: '12' },
  },
});

const started = Date.now();
const city = simulateCity({ seed: Number(values.seed), violations: Number(values.violations), end: values.end, months: Number(values.months) });
const written = await writeCity(city, values.out);
const seconds = (Date.now() - started) / 1000;
process.stdout.write(
  `${written.violations} violations, ${written.events} events in ${seconds.toFixed(1)} s ` +
    `(${Math.round(written.events / seconds)} events/s) -> ${written.files.join(', ')}\n`,
);
