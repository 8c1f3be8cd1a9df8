import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { EVENT_REFERENCE_PATH, renderEventReference } from '../src/event-reference/event-reference.js';

/** Rewrites docs/event-reference.md from the code (`npm run docs:events`). */
const root = fileURLToPath(new URL('../../../', import.meta.url));
const target = `${root}${EVENT_REFERENCE_PATH}`;
await writeFile(target, renderEventReference());
console.log(`wrote ${EVENT_REFERENCE_PATH}`);
