import type { EndpointContract } from './endpoint.js';

export const profileEndpoints = {} satisfies Record<string, EndpointContract>;
