import type { EndpointContract } from './endpoint.js';

export const referenceEndpoints = {} satisfies Record<string, EndpointContract>;
