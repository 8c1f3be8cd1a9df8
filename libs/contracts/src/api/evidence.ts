import type { EndpointContract } from './endpoint.js';

export const evidenceEndpoints = {} satisfies Record<string, EndpointContract>;
