import 'reflect-metadata';
import { ConfigError, configFromProcess } from '@qadaga/config';
import { createApp } from './app.factory.js';

try {
  const config = configFromProcess();
  const app = await createApp(config);
  await app.listen({ host: config.http.host, port: config.http.port });
  // The real port (API_PORT=0 picks a free one); the demo reads this line.
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address !== null ? address.port : config.http.port;
  console.log(`Qadaga API on http://${config.http.host}:${port} (docs at /docs)`);
  // Graceful stop: stop accepting, let queued single events commit, close pools, then
  // exit normally (so exit hooks such as --cpu-prof run).
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      void app.close().finally(() => process.exit(0));
    });
  }
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(78);
  }
  throw error;
}
