import type { SourceRecord } from '@qadaga/domain';

/** The systems that report events. Each writes only its own steps, as in the real integration. */
export const SOURCES = {
  camera: 'sergek-almaty',
  review: 'review-desk',
  register: 'register',
  treasury: 'treasury',
  dispatch: 'dispatch',
} as const;

export const SOURCE_RECORDS: SourceRecord[] = [
  { code: SOURCES.camera, name: 'Sergek camera network, Almaty', kind: 'camera' },
  { code: SOURCES.review, name: 'Administrative-practice review desk', kind: 'review' },
  { code: SOURCES.register, name: 'Unified register of administrative offences', kind: 'register' },
  { code: SOURCES.treasury, name: 'Treasury payment gateway', kind: 'treasury' },
  { code: SOURCES.dispatch, name: 'Emergency dispatch (reference data only)', kind: 'dispatch' },
];

/** Event id prefixes: ids are unique per source, and readable as to where they came from. */
export const EVENT_ID_PREFIX: Readonly<Record<string, string>> = {
  [SOURCES.camera]: 'SGK',
  [SOURCES.review]: 'RVD',
  [SOURCES.register]: 'REG',
  [SOURCES.treasury]: 'TRS',
};

/** Legal bases cited by cancellations. Plausible placeholders (unverified article numbers). */
export const LEGAL_BASIS = {
  noOffence: 'CoAO RK art. 741(1)(2): no offence',
  wrongSubject: 'CoAO RK art. 741(1)(1): vehicle not in the owner\'s possession',
  appealGranted: 'CoAO RK art. 829-4: decision set aside on appeal',
  reviewError: 'CoAO RK art. 807-1: own decision withdrawn before service',
  faultyDevice: 'CoAO RK art. 741(1)(2) with art. 769: measuring device unfit',
  registerClosure: 'Register rules s. 4.12: closure on review-desk decision',
} as const;
