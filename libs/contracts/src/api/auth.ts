import type { EndpointContract } from './endpoint.js';

export const authEndpoints = {} satisfies Record<string, EndpointContract>;
