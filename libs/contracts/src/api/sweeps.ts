import type { EndpointContract } from './endpoint.js';

export const sweepEndpoints = {} satisfies Record<string, EndpointContract>;
