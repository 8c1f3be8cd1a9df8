import type { EndpointContract } from './endpoint.js';
import { flagEndpoints } from './flags.js';
import { caseEndpoints } from './cases.js';
import { evidenceEndpoints } from './evidence.js';
import { jobEndpoints } from './jobs.js';
import { integrityEndpoints } from './integrity.js';
import { profileEndpoints } from './profiles.js';
import { violationEndpoints } from './violations.js';
import { placeEndpoints } from './places.js';
import { privacyEndpoints } from './privacy.js';
import { referenceEndpoints } from './reference.js';
import { ruleEndpoints } from './rules.js';
import { sweepEndpoints } from './sweeps.js';
import { coverageEndpoints } from './coverage.js';
import { authEndpoints } from './auth.js';
import { ingestEndpoints } from './ingest.js';
import { healthEndpoints } from './health.js';
import { workEndpoints } from './work.js';
import { savedViewEndpoints } from './saved-views.js';
import { searchEndpoints } from './search.js';

export * from './endpoint.js';
export * from './roles.js';
export * from './common.js';
export * from './rule-reasons.js';
export * from './flags.js';
export * from './cases.js';
export * from './evidence.js';
export * from './jobs.js';
export * from './integrity.js';
export * from './profiles.js';
export * from './violations.js';
export * from './places.js';
export * from './privacy.js';
export * from './reference.js';
export * from './rules.js';
export * from './sweeps.js';
export * from './coverage.js';
export * from './auth.js';
export * from './ingest.js';
export * from './health.js';
export * from './work.js';
export * from './saved-views.js';
export * from './search.js';

const all = (group: Readonly<Record<string, EndpointContract>>): EndpointContract[] => Object.values(group);

/**
 * Every endpoint of the API. A spec of the API checks that it routes exactly these, and
 * the OpenAPI document lists exactly these.
 */
export const API_ENDPOINTS: readonly EndpointContract[] = [
  ...all(flagEndpoints),
  ...all(caseEndpoints),
  ...all(evidenceEndpoints),
  ...all(jobEndpoints),
  ...all(integrityEndpoints),
  ...all(profileEndpoints),
  ...all(violationEndpoints),
  ...all(placeEndpoints),
  ...all(privacyEndpoints),
  ...all(referenceEndpoints),
  ...all(ruleEndpoints),
  ...all(sweepEndpoints),
  ...all(coverageEndpoints),
  ...all(authEndpoints),
  ...all(ingestEndpoints),
  ...all(healthEndpoints),
  ...all(workEndpoints),
  ...all(savedViewEndpoints),
  ...all(searchEndpoints),
];
