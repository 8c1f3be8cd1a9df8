// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DistrictMap, type DistrictMapProps } from './DistrictMap.js';
import { fitTo, forSphere, type Areas } from './geometry.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../..');
/** The boundaries the product ships (OpenStreetMap, ODbL), with each feature's id in its properties as the API serves them. */
function almaty(): Areas {
  const raw = JSON.parse(readFileSync(path.join(ROOT, 'libs/db/geo/almaty-districts.geojson'), 'utf8')) as Areas;
  return { ...raw, features: raw.features.map((f) => ({ ...f, properties: { ...f.properties, id: String((f.properties as { id: string }).id) } })) };
}

afterEach(cleanup);

function props(overrides: Partial<DistrictMapProps> = {}): DistrictMapProps {
  return {
    title: 'Violations by district',
    areas: almaty(),
    value: (id) => (id === 'medeu' ? null : id.length),
    max: 10,
    describe: (id) => `${id}: figure`,
    name: (id) => id.toUpperCase(),
    legend: { low: '0', high: '10', withheld: 'withheld' },
    attribution: '© OpenStreetMap contributors',
    ...overrides,
  };
}

describe('district map', () => {
  it('projects every district inside the drawing, none inverted to the whole globe', () => {
    const areas = forSphere(almaty());
    const { path: draw } = fitTo(areas, 600, 500);
    // A ring wound the wrong way for d3 is the whole sphere but the district: its area then fills the map.
    const areasDrawn = areas.features.map((feature) => draw.area(feature));
    for (const [i, area] of areasDrawn.entries()) expect(area, areas.features[i]?.properties.id).toBeLessThan(600 * 500 * 0.5);
    // Eight districts tile the city: together they cover a good part of the drawing, and none is empty.
    expect(Math.min(...areasDrawn)).toBeGreaterThan(100);
    expect(areasDrawn.reduce((a, b) => a + b, 0)).toBeGreaterThan(600 * 500 * 0.2);
  });

  it('draws one named, clickable district per boundary, hatches a withheld figure and credits the source', () => {
    const onSelect = vi.fn();
    render(<DistrictMap {...props({ onSelect })} />);
    const districts = screen.getAllByRole('button');
    expect(districts).toHaveLength(8);
    const medeu = screen.getByRole('button', { name: 'medeu: figure' });
    expect(medeu.getAttribute('fill')).toBe('url(#withheld)');
    expect(screen.getByRole('button', { name: 'almaly: figure' }).getAttribute('fill')).toMatch(/^rgb\(/u);
    expect(screen.getByText('ALMALY')).toBeTruthy();
    fireEvent.click(medeu);
    fireEvent.keyDown(screen.getByRole('button', { name: 'almaly: figure' }), { key: 'Enter' });
    expect(onSelect.mock.calls).toEqual([['medeu'], ['almaly']]);
    expect(screen.getByText('© OpenStreetMap contributors')).toBeTruthy();
  });

  it('clusters cameras that stand close together and hands over every camera of a cluster', () => {
    const onPoints = vi.fn();
    const points = [
      { id: 'CAM-1', lat: 43.25, lon: 76.9, weight: 5 },
      { id: 'CAM-2', lat: 43.2501, lon: 76.9001, weight: 3 },
      { id: 'CAM-3', lat: 43.35, lon: 77.1, weight: 1 },
    ];
    render(<DistrictMap {...props({ points, onPoints, describePoints: (ids) => `cameras ${ids.join(' ')}` })} />);
    fireEvent.click(screen.getByRole('button', { name: 'cameras CAM-1 CAM-2' }));
    fireEvent.click(screen.getByRole('button', { name: 'cameras CAM-3' }));
    expect(onPoints.mock.calls).toEqual([[['CAM-1', 'CAM-2']], [['CAM-3']]]);
  });
});
