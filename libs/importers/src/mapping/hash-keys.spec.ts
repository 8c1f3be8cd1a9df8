import { describe, expect, it } from 'vitest';
import { loadCsvMapping } from '../csv/load-csv-mapping.js';
import { MappingError } from '../shared/issues.js';

const at = { column: 'detected_at', as: 'instant', format: 'dd.MM.yyyy HH:mm:ss' };

/** A one-event mapping whose plate is written as a keyed pseudonym. */
const mapping = {
  format: 'qadaga/csv-mapping@1',
  source: 'register',
  mode: 'event-per-row',
  timeZone: 'Asia/Almaty',
  violationRef: { column: 'ticket_no' },
  eventId: { column: 'ticket_no' },
  status: { const: 'D' },
  eventTypes: { D: 'detected' },
  events: {
    detected: {
      occurredAt: at,
      actor: { kind: 'system', id: { const: 'camera' } },
      payload: { article: { const: '592.1' }, plate: { column: 'plate', trim: true, upper: true, hash: 'hmac-sha256', hashKeyEnv: 'QADAGA_PSEUDONYM_KEY', truncate: 20 } },
    },
  },
};

async function loadError(env: Record<string, string> | undefined): Promise<MappingError> {
  const error = await loadCsvMapping(structuredClone(mapping), env === undefined ? {} : { env }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(MappingError);
  return error as MappingError;
}

describe('keyed hashes at load time', () => {
  it('loads a mapping whose key is in the environment it is given', async () => {
    await expect(loadCsvMapping(structuredClone(mapping), { env: { QADAGA_PSEUDONYM_KEY: 'x'.repeat(32) } })).resolves.toMatchObject({ source: 'register' });
  });

  it('stops before any record when the key is missing, short, or no environment was given', async () => {
    const path = 'events.detected.payload.plate.hashKeyEnv';
    expect((await loadError({})).issues).toEqual([
      {
        path,
        message:
          'environment variable "QADAGA_PSEUDONYM_KEY" holds no hash key; set it to a secret of at least 32 characters (an unkeyed hash of a plate is reversed by hashing every possible plate)',
      },
    ]);
    expect((await loadError({ QADAGA_PSEUDONYM_KEY: 'short' })).issues).toEqual([{ path, message: 'the hash key in environment variable "QADAGA_PSEUDONYM_KEY" has 5 characters; use at least 32' }]);
    expect((await loadError(undefined)).issues[0]?.message).toMatch(/loaded without an environment/u);
  });
});
