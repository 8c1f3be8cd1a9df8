import type { EndpointContract } from './endpoint.js';

export const integrityEndpoints = {} satisfies Record<string, EndpointContract>;
