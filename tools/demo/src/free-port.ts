import { createServer } from 'node:net';

/**
 * A TCP port on `host` that nobody listens on: `preferred` when it is free (stable ports
 * make a demo's URLs predictable across runs), otherwise one the kernel hands out.
 * There is a short window between this check and the server binding the port; a
 * collision there makes that server fail to start with its own error rather than hang.
 */
export async function pickFreePort(preferred: number, host = '127.0.0.1'): Promise<number> {
  const port = (await tryListen(preferred, host)) ?? (await tryListen(0, host));
  if (port === undefined) {
    throw new Error(`No free TCP port on ${host}.`);
  }
  return port;
}

function tryListen(port: number, host: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined));
    server.listen({ port, host, exclusive: true }, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address !== null ? address.port : undefined;
      server.close(() => resolve(bound));
    });
  });
}
