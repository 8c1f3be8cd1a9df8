import type { EndpointContract } from './endpoint.js';

export const ingestEndpoints = {} satisfies Record<string, EndpointContract>;
