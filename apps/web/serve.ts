import path from 'node:path';
import { parseArgs } from 'node:util';
import { startWorkbenchServer } from './server/workbench-server.js';

/** `npm run web:serve -- --api http://127.0.0.1:3000`: the built workbench (apps/web/dist) in front of the API. */
const { values } = parseArgs({
  options: {
    api: { type: 'string', default: 'http://127.0.0.1:3000' },
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '5173' },
    dist: { type: 'string', default: path.join(import.meta.dirname, 'dist') },
  },
});

const server = await startWorkbenchServer({ distDir: values.dist, apiUrl: values.api, host: values.host, port: Number(values.port) });
// The browser tests read this line to learn the port (0 picks a free one).
console.log(`Qadaga workbench on ${server.url} (API ${values.api})`);
const stop = () => void server.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
