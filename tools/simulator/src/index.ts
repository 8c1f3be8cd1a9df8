export * from './lifecycle-stream.js';
export { simulateCity, DEFAULT_END, type SimulateCityOptions, type SimulatedCity, type CityStats } from './city.js';
export { writeCity } from './write-city.js';
export { SPEED_BANDS, BAND_EDGES, MRP_BY_YEAR } from './city/fines.js';
export { SOURCES } from './city/sources.js';
export { Rng } from './random.js';
