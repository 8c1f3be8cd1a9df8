import type { EndpointContract } from './endpoint.js';

export const violationEndpoints = {} satisfies Record<string, EndpointContract>;
