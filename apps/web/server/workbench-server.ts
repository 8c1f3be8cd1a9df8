import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';

/**
 * Serves the built workbench and passes /v1 through to the API, so the browser sees one
 * origin (no CORS, the session token never leaves it). Unknown paths get index.html:
 * the router in the page decides what they show.
 */
export interface WorkbenchServerOptions {
  distDir: string;
  apiUrl: string;
  host: string;
  port: number;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/**
 * The chain of client addresses as the API should see it: whatever earlier proxies said,
 * then the address that connected here. The API believes it only when this server's
 * address is among its TRUSTED_PROXIES.
 */
function forwardedFor(req: http.IncomingMessage): string {
  const earlier = req.headers['x-forwarded-for'];
  const client = req.socket.remoteAddress ?? '';
  return [earlier, client].flat().filter((a): a is string => typeof a === 'string' && a !== '').join(', ');
}

function proxy(req: http.IncomingMessage, res: http.ServerResponse, api: URL): void {
  const upstream = http.request(
    { host: api.hostname, port: api.port, method: req.method, path: req.url, headers: { ...req.headers, host: api.host, 'x-forwarded-for': forwardedFor(req) } },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on('error', (error) => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ statusCode: 502, error: 'Bad Gateway', message: `the API did not answer: ${error.message}`, reasons: [] }));
  });
  req.pipe(upstream);
}

async function serveFile(res: http.ServerResponse, distDir: string, urlPath: string): Promise<void> {
  const clean = path.normalize(decodeURIComponent(urlPath)).replace(/^(\.\.[/\\])+/u, '');
  let file = path.join(distDir, clean);
  if (!file.startsWith(distDir)) file = path.join(distDir, 'index.html');
  const found = await stat(file).then((s) => s.isFile(), () => false);
  if (!found) file = path.join(distDir, 'index.html');
  const ext = path.extname(file);
  // Hashed asset names change with their content, so they may be kept for good.
  const cache = file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache';
  res.writeHead(200, { 'content-type': TYPES[ext] ?? 'application/octet-stream', 'cache-control': cache });
  createReadStream(file).pipe(res);
}

export async function startWorkbenchServer(options: WorkbenchServerOptions): Promise<{ url: string; close(): Promise<void> }> {
  const api = new URL(options.apiUrl);
  const distDir = path.resolve(options.distDir);
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    if (url.startsWith('/v1/') || url === '/v1') return proxy(req, res, api);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    serveFile(res, distDir, url.split('?')[0] ?? '/').catch((error: unknown) => {
      res.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port, options.host, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  return {
    url: `http://${options.host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
