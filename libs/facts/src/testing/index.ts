export { TINY_REFERENCE, lifecycle } from './tiny-city.js';
