import { simulateCity } from './src/index.js';
import { CityView, ms, localDate, groupBy, DAY } from './src/testing/city-view.js';
const city = simulateCity({ seed: 11, violations: 5000 });
const view = new CityView(city);
const l = city.truth.lookalikes.find(s => s.lookalike === 'staff_shortage_week')!;
console.log(l.note);
const unit = l.subjects[0]!.id;
const exp = view.ofType('expired').map(e => view.of(e.violationRef, 'review_assigned')[0]).filter(a => a?.payload.unit === unit);
for (const a of exp) console.log(localDate(ms(view.detection(a!.violationRef).occurredAt)), a!.payload.officerId);
