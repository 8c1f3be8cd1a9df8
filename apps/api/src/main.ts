import 'reflect-metadata';
import { ConfigError, configFromProcess } from '@qadaga/config';
import { createApp } from './app.factory.js';

try {
  const config = configFromProcess();
  const app = await createApp(config);
  await app.listen({ host: config.http.host, port: config.http.port });
  console.log(`Qadaga API on http://${config.http.host}:${config.http.port} (docs at /docs)`);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(78);
  }
  throw error;
}
