import 'reflect-metadata';
import { runService } from '@qadaga/config';
import { createApp } from './app.factory.js';

await runService(async (config) => {
  const app = await createApp(config);
  await app.listen({ host: config.http.host, port: config.http.port });
  // The real port (API_PORT=0 picks a free one); the demo reads this line.
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address !== null ? address.port : config.http.port;
  console.log(`Qadaga API on http://${config.http.host}:${port} (docs at /docs)`);
  return app;
});
