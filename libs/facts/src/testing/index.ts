export { TINY_REFERENCE, lifecycle } from './tiny-city.js';
export { registerThatStoppedDelivering } from './register-history.js';
