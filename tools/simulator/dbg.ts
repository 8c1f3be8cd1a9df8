import { simulateCity } from './src/index.js';
import { CityView, ms, localDate, groupBy } from './src/testing/city-view.js';
const city = simulateCity({ seed: 7, violations: 5000 });
const view = new CityView(city);
console.log(city.truth.schemes.find(s => s.scheme === 'mass_cancellation')?.note);
console.log(city.truth.lookalikes.find(s => s.lookalike === 'faulty_camera_voided'));
const per = groupBy(view.ofType('cancelled').filter(c => c.actor.unit), c => `${c.actor.unit}|${localDate(ms(c.occurredAt))}`);
for (const [k, l] of per) if (l.length >= 10) console.log(k, l.length, new Set(l.map(c => view.detection(c.violationRef).payload.cameraId)).size, new Set(l.map(c => c.payload.reasonCode)).size, new Set(l.map(c=>c.payload.reference)).size);
