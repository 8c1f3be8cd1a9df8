import type { EndpointContract } from './endpoint.js';

export const caseEndpoints = {} satisfies Record<string, EndpointContract>;
