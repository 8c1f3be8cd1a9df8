import type { EndpointContract } from './endpoint.js';

export const healthEndpoints = {} satisfies Record<string, EndpointContract>;
