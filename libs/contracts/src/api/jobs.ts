import type { EndpointContract } from './endpoint.js';

export const jobEndpoints = {} satisfies Record<string, EndpointContract>;
