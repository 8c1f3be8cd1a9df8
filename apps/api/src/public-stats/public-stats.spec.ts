import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../testing/test-app.js';
import { ingest, loadReference, storyEvents, type Story } from '../profiles/read-fixtures.js';

let t: TestApp;
let serial = 0;
const at = (day: string, hour: number) => `${day}T${String(hour).padStart(2, '0')}:00:00+05:00`;
function violations(camera: string, count: number, cancelled = 0): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, i) => {
    serial += 1;
    const day = `2026-03-0${2 + (i % 5)}`;
    const s: Story = {
      ref: `S${serial}`, camera, plate: '555XYZ01', officer: 'OF-2', unit: 'U-1', detectedAt: at(day, 9), decision: 'confirmed', decidedAt: at(day, 10),
      ...(i < cancelled ? { cancelledAt: at(day, 12) } : {}),
    };
    return storyEvents(s);
  }).flat();
}

const URL = `/v1/public/stats?from=${encodeURIComponent('2026-03-04T00:00:00+05:00')}&to=${encodeURIComponent('2026-03-10T00:00:00+05:00')}`;
const get = (url = URL) => t.app.inject({ method: 'GET', url });

interface Cell { count: number | null; suppressed: boolean }
interface Row { week: string; district?: string | null; cameraId?: string; violations: Cell; cancellations: Cell }

beforeAll(async () => {
  // Answers are reused for one second here, so a fresh one can be awaited.
  t = await startTestApp({ PUBLIC_STATS_CACHE_SECONDS: '1' });
  await loadReference(t);
  // Week of 2 March: Almaly 12 at CAM-A (2 cancelled) and 3 at CAM-C; Bostandyq 3 at CAM-B.
  await ingest(t, [...violations('CAM-A', 12, 2), ...violations('CAM-C', 3), ...violations('CAM-B', 3)]);
});
afterAll(async () => t.close());

describe('GET /v1/public/stats', () => {
  it('answers without credentials, over whole local weeks, naming no plate and no officer', async () => {
    const res = await get();
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.period).toEqual({ from: '2026-03-01T19:00:00.000Z', to: '2026-03-15T19:00:00.000Z', timeZone: 'Asia/Almaty' });
    expect(body.minCellCount).toBe(10);
    expect(res.body).not.toMatch(/555XYZ01|OF-2|U-1/u);
  });

  it('withholds every count under the minimum, and the one a district total would give away', async () => {
    const body = (await get()).json() as { byDistrict: Row[]; byCamera: Row[] };
    const cells = [...body.byDistrict, ...body.byCamera].flatMap((r) => [r.violations, r.cancellations]);
    for (const cell of cells) {
      if (cell.suppressed) expect(cell.count).toBeNull();
      else expect(cell.count).toBeGreaterThanOrEqual(10);
    }
    expect(body.byDistrict).toEqual([
      { week: '2026-03-02', district: 'Almaly', violations: { count: 15, suppressed: false }, cancellations: { count: null, suppressed: true } },
      { week: '2026-03-02', district: 'Bostandyq', violations: { count: null, suppressed: true }, cancellations: { count: null, suppressed: true } },
    ]);
    // CAM-C's 3 is withheld; CAM-A's 12 would then be 15 - 3 away from it, so it is withheld too.
    expect(body.byCamera.map((r) => [r.cameraId, r.violations.suppressed])).toEqual([['CAM-A', true], ['CAM-B', true], ['CAM-C', true]]);
  });

  it('shows a newly ingested violation once the short reuse window has passed', async () => {
    const before = (await get()).json().byDistrict[0].violations.count;
    await ingest(t, violations('CAM-A', 1));
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await get()).json().byDistrict[0].violations).toEqual({ count: before + 1, suppressed: false });
  });

  it('names the field of a bad query', async () => {
    const res = await get('/v1/public/stats?from=last-week');
    expect(res.statusCode).toBe(400);
    expect(res.json().reasons[0].path).toBe('from');
    const long = await get(`/v1/public/stats?from=${encodeURIComponent('2024-01-01T00:00:00Z')}&to=${encodeURIComponent('2026-01-01T00:00:00Z')}`);
    expect(long.json().reasons[0]).toMatchObject({ path: 'from', message: expect.stringMatching(/at most 366 days/u) });
  });

  it('limits each address to 60 requests a minute, whatever Authorization header it sends', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 60; i += 1) {
      const res = await t.app.inject({ method: 'GET', url: URL, headers: { authorization: `Bearer made-up-${i}` } });
      statuses.push(res.statusCode);
    }
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(60);
    const refused = await get();
    expect(refused.statusCode).toBe(429);
    expect(refused.json().reasons[0].message).toMatch(/rate limit/iu);
  });
});
