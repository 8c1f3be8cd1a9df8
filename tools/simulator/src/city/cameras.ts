import type { CameraRecord } from '@qadaga/domain';
import { Rng } from '../random.js';

/**
 * Sergek cameras over Almaty's eight districts. Each camera is served by one unit (its
 * district's), has a posted limit and a traffic weight: a few busy avenues produce most
 * detections, as real camera networks do.
 */

interface District {
  name: string;
  lat: number;
  lon: number;
  unit: string;
  cameras: number;
  streets: readonly string[];
}

/** Approximate district centres; units serve one or two districts each. */
const DISTRICTS: readonly District[] = [
  { name: 'Almaly', lat: 43.253, lon: 76.918, unit: 'AP-1', cameras: 45, streets: ['Abay Ave', 'Tole Bi St', 'Zheltoksan St', 'Baitursynov St', 'Kazybek Bi St'] },
  { name: 'Auezov', lat: 43.225, lon: 76.852, unit: 'AP-2', cameras: 45, streets: ['Abay Ave', 'Zhandosov St', 'Momyshuly Ave', 'Sain St', 'Utepov St'] },
  { name: 'Bostandyk', lat: 43.215, lon: 76.905, unit: 'AP-3', cameras: 50, streets: ['Al-Farabi Ave', 'Timiryazev St', 'Rozybakiev St', 'Satpayev St', 'Zharokov St'] },
  { name: 'Zhetysu', lat: 43.289, lon: 76.932, unit: 'AP-4', cameras: 30, streets: ['Raiymbek Ave', 'Seifullin Ave', 'Suyunbay Ave', 'Bokeikhan St'] },
  { name: 'Turksib', lat: 43.338, lon: 76.968, unit: 'AP-4', cameras: 35, streets: ['Suyunbay Ave', 'Sholokhov St', 'Kuderina St', 'Mailin St'] },
  { name: 'Medeu', lat: 43.238, lon: 76.985, unit: 'AP-5', cameras: 35, streets: ['Dostyk Ave', 'Al-Farabi Ave', 'Kunaev St', 'Zhibek Zholy St', 'Nazarbayev Ave'] },
  { name: 'Nauryzbay', lat: 43.195, lon: 76.792, unit: 'AP-6', cameras: 20, streets: ['Al-Farabi Ave', 'Shugyla St', 'Tastybulak St'] },
  { name: 'Alatau', lat: 43.293, lon: 76.842, unit: 'AP-6', cameras: 40, streets: ['Raiymbek Ave', 'Rysqulov Ave', 'Momyshuly Ave', 'Bokeikhan St'] },
];

const LIMITS = [[60, 0.7], [40, 0.1], [80, 0.2]] as const;

export interface Camera {
  id: string;
  district: string;
  unit: string;
  lat: number;
  lon: number;
  address: string;
  speedLimit: number;
  /** Relative traffic: share of detections this camera makes. */
  weight: number;
}

export interface CameraNetwork {
  cameras: Camera[];
  byId: ReadonlyMap<string, Camera>;
  byUnit: ReadonlyMap<string, Camera[]>;
  /** Cumulative weights for drawing a camera per detection. */
  cumulative: Float64Array;
}

export function buildCameras(rng: Rng): CameraNetwork {
  const cameras: Camera[] = [];
  for (const d of DISTRICTS) {
    for (let k = 0; k < d.cameras; k += 1) {
      const street = rng.pick(d.streets);
      let cross = rng.pick(d.streets);
      if (cross === street) cross = rng.pick(['Gogol St', 'Makataev St', 'Navoi St', 'Kabanbay Batyr St', 'Shevchenko St']);
      const speedLimit = rng.weighted(LIMITS);
      cameras.push({
        id: `CAM-${String(cameras.length + 1).padStart(4, '0')}`,
        district: d.name,
        unit: d.unit,
        lat: Math.round((d.lat + rng.normal() * 0.012) * 1e5) / 1e5,
        lon: Math.round((d.lon + rng.normal() * 0.016) * 1e5) / 1e5,
        address: `${street} / ${cross}`,
        speedLimit,
        // Log-normal traffic, avenues with higher limits carry more.
        weight: Math.exp(0.9 * rng.normal()) * (speedLimit >= 80 ? 1.6 : 1),
      });
    }
  }
  const cumulative = new Float64Array(cameras.length);
  let total = 0;
  cameras.forEach((c, i) => {
    total += c.weight;
    cumulative[i] = total;
  });
  const byUnit = new Map<string, Camera[]>();
  for (const c of cameras) byUnit.set(c.unit, [...(byUnit.get(c.unit) ?? []), c]);
  return { cameras, byId: new Map(cameras.map((c) => [c.id, c])), byUnit, cumulative };
}

export function toCameraRecord(camera: Camera): CameraRecord {
  return { id: camera.id, district: camera.district, lat: camera.lat, lon: camera.lon };
}
