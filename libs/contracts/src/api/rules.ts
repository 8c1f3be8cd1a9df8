import type { EndpointContract } from './endpoint.js';

export const ruleEndpoints = {} satisfies Record<string, EndpointContract>;
