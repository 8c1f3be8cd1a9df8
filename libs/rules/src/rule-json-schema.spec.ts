import { describe, expect, it } from 'vitest';
import { loadRulePack } from './pack.js';
import { ruleJsonSchema } from './rule-json-schema.js';
import { flaggedShare, OVER_FLAGGING_SHARE } from './over-flagging.js';
import { factDistributions, sampleEvenly } from './distribution.js';

describe('the rule format as JSON Schema', () => {
  const schema = ruleJsonSchema() as {
    properties: Record<string, { enum?: string[]; items?: { properties?: Record<string, { enum?: string[] }> } }>;
    required: string[];
    additionalProperties: boolean;
    $defs: Record<string, { properties?: Record<string, { enum?: string[] }> }>;
  };

  it('comes from the rule definition: its fields, required ones, enums, and no others', () => {
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['id', 'name', 'detects', 'subject', 'windowDays', 'parameters', 'severity', 'conditions', 'display', 'explanation']));
    expect(schema.required).toEqual(expect.arrayContaining(['id', 'subject', 'conditions', 'display']));
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties['severity']?.enum).toEqual(['low', 'medium', 'high', 'critical']);
    expect(schema.properties['conditions']).toEqual({ $ref: '#/$defs/condition' });
  });

  it('completes fact names from the catalogue, in conditions and in the display', () => {
    expect(schema.$defs['condition']?.properties?.['fact']?.enum).toContain('fastDecisionShare');
    expect(schema.properties['display']?.items?.properties?.['fact']?.enum).toContain('backdatedHours');
    // Every fact the pack compares is offered.
    const offered = new Set(schema.$defs['condition']?.properties?.['fact']?.enum);
    for (const rule of loadRulePack()) for (const entry of rule.display) expect(offered.has(entry.fact)).toBe(true);
  });
});

describe('over-flagging', () => {
  it('is past the share only above it', () => {
    expect(OVER_FLAGGING_SHARE).toBe(0.25);
    expect(flaggedShare(1, 4)).toEqual({ flagged: 1, subjects: 4, share: 0.25, limit: 0.25, exceeded: false });
    expect(flaggedShare(2, 4).exceeded).toBe(true);
    expect(flaggedShare(0, 0)).toMatchObject({ share: 0, exceeded: false });
  });
});

describe('fact distributions', () => {
  it('keeps every value up to the limit and samples evenly past it, ends included', () => {
    expect(sampleEvenly([1, 2, 3], 5)).toEqual([1, 2, 3]);
    const many = Array.from({ length: 1001 }, (_, i) => i);
    const sampled = sampleEvenly(many, 11);
    expect(sampled).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
  });

  it('counts the subjects beyond the threshold and between the published one and the draft\u2019s, by the operator', () => {
    const rule = loadRulePack().find((r) => r.id === 'backdated-cancellation')!;
    const facts = [0, 10, 24, 30, 48, 72].map((h) => ({ facts: { backdatedHours: h } }));
    const moved = structuredClone(rule);
    moved.parameters['minBackdatedHours']!.default = 48;
    const [d] = factDistributions(moved, [...facts, { facts: {} }], rule);
    // "more than": 48 itself is not beyond 48; 30 and 48 are beyond 24 and not beyond 48.
    expect(d).toMatchObject({ fact: 'backdatedHours', parameter: 'minBackdatedHours', inclusive: false, threshold: 48, publishedThreshold: 24, count: 6, withoutValue: 1, beyond: 1, betweenThresholds: 2 });
    expect(d?.values).toEqual([0, 10, 24, 30, 48, 72]);
    expect(factDistributions(moved, facts, null)[0]?.betweenThresholds).toBeNull();
  });
});
