import type { EndpointContract } from './endpoint.js';

export const placeEndpoints = {} satisfies Record<string, EndpointContract>;
