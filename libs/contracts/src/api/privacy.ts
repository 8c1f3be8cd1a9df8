import type { EndpointContract } from './endpoint.js';

export const privacyEndpoints = {} satisfies Record<string, EndpointContract>;
