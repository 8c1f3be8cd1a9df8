import { simulateCity } from './src/index.js';
import { validateLifecycleEvent } from '@qadaga/contracts';
const N = Number(process.argv[2] ?? 5000);
let t0 = Date.now();
const city = simulateCity({ seed: 1, violations: N });
console.log('plan ms', Date.now() - t0);
t0 = Date.now();
const counts: Record<string, number> = {};
let n = 0; let bad = 0;
for (const e of city.events()) { n++; counts[e.type] = (counts[e.type] ?? 0) + 1; if (process.argv[3] === 'v') { const r = validateLifecycleEvent(e); if (!r.ok && bad++ < 5) console.log(JSON.stringify(r.errors), JSON.stringify(e)); } }
const ms = Date.now() - t0;
console.log('events', n, 'ms', ms, 'ev/s', Math.round(n / ms * 1000), 'bad', bad);
console.log(counts);
console.log(city.truth.schemes.map(s => `${s.scheme}: ${s.subjects.length}`).join('\n'));
console.log(city.truth.lookalikes.map(s => `${s.lookalike}: ${s.subjects.length}`).join('\n'));
