export { binomialUpperTail, logBinomialUpperTail } from './binomial.js';
export { hypergeometricUpperTail, logHypergeometricUpperTail, logHypergeometricProbability } from './hypergeometric.js';
export { logBinomialProbability } from './saddle-point.js';
export { median, mad, robustZ, ROBUST_Z_CONSTANT } from './robust.js';
export { benjaminiHochberg } from './benjamini-hochberg.js';
export { ewma, ewmaUpperControlLimit, type EwmaControlLimitInput } from './ewma.js';
