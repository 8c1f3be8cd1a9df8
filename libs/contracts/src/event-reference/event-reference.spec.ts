import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { instant, text } from '../primitives.js';
import { EVENT_REFERENCE_COMMAND, EVENT_REFERENCE_PATH, renderEventReference } from './event-reference.js';
import { describeSchema, fieldRows } from './field-rows.js';
import { impliedSteps, statusAfter } from './status-after.js';
import { payloadSchemas } from '../lifecycle-event.schema.js';

const committedPath = new URL(`../../../../${EVENT_REFERENCE_PATH}`, import.meta.url);

describe('docs/event-reference.md', () => {
  it('is what the code describes now', async () => {
    const committed = await readFile(committedPath, 'utf8').catch(() => '');
    expect(committed, `${EVENT_REFERENCE_PATH} is out of date with libs/domain and libs/contracts: run \`${EVENT_REFERENCE_COMMAND}\` and commit the file`).toBe(
      renderEventReference(),
    );
  });

  it('says which actor kinds may confirm, and that a system may amend only the amount', () => {
    const reference = renderEventReference();
    expect(reference).toContain('| `confirmed` | no | yes | yes | no | no | no | no |');
    expect(reference).toContain('| `amended` | no | yes | yes | yes, only with `field` `amount` | no | no | no |');
  });

  it('takes each limit from the schema', () => {
    expect(fieldRows(describeSchema(payloadSchemas.detected)).find((row) => row.name === 'plate')).toEqual({
      name: 'plate',
      required: 'no',
      type: 'text',
      limits: '1 to 20 characters',
    });
  });
});

describe('fieldRows', () => {
  it('flattens nested objects, and a required field of an optional object is required only with it', () => {
    const schema = z.strictObject({
      code: z.string().regex(/^[a-z]+$/u, 'must be lower-case letters'),
      when: instant.optional(),
      fine: z.strictObject({ amount: z.number().min(0).max(10), note: text(7).optional() }).optional(),
      kind: z.enum(['a', 'b']),
    });
    expect(fieldRows(describeSchema(schema))).toEqual([
      { name: 'code', required: 'yes', type: 'text', limits: 'must be lower-case letters (pattern `^[a-z]+$`)' },
      { name: 'when', required: 'no', type: 'date-time', limits: expect.stringMatching(/offset.*from 1990-01-01 to 24 hours after/u) },
      { name: 'fine', required: 'no', type: 'object', limits: 'holds `fine.amount`, `fine.note`; no other fields' },
      { name: 'fine.amount', required: 'yes, when `fine` is given', type: 'number', limits: 'at least 0, at most 10' },
      { name: 'fine.note', required: 'no', type: 'text', limits: '1 to 7 characters' },
      { name: 'kind', required: 'yes', type: 'one of a list', limits: 'one of `a`, `b`' },
    ]);
  });
});

describe('the lifecycle as the domain folds it', () => {
  const payloadOf = (type: keyof typeof payloadSchemas) => describeSchema(payloadSchemas[type]);

  it('an overturned appeal cancels by itself, so a cancellation for it would be flagged', () => {
    expect(statusAfter('appeal_decided', payloadOf('appeal_decided'))).toContain('when `outcome` is `overturned`: **cancelled**');
    expect(impliedSteps(payloadOf)).toEqual([
      { type: 'appeal_decided', when: { field: 'outcome', values: ['overturned'] }, status: 'cancelled', implied: 'cancelled' },
    ]);
  });

  it('a payment settles the fine only when nothing is left owed', () => {
    expect(statusAfter('paid', payloadOf('paid'))).toMatch(/^from `confirmed`, .*: \*\*paid\*\* if nothing is left owed, otherwise stays as it was; from `paid`: stays as it was$/u);
  });
});
