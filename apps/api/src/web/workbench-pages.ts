import { stat } from 'node:fs/promises';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * The built workbench (apps/web/dist) served by the API itself, so the browser meets one
 * origin: no proxy in between, no CORS, and the client address the API sees (sign-in
 * limits, the access log) is the browser's own. @fastify/static (through @fastify/send)
 * does the file serving: ranges, ETag and Last-Modified revalidation, content types.
 */

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Marks the pages' route: app.factory leaves it out of the API's endpoint list, as it holds no data. */
    workbenchPages?: boolean;
  }
}

export function isWorkbenchPagesRoute(config: { workbenchPages?: boolean } | undefined): boolean {
  return config?.workbenchPages === true;
}

/** Paths the API answers; a miss under them stays the API's 404, never the workbench's page. */
const API_PREFIXES = ['/v1', '/health', '/docs'];
/** Vite names every file here after its content, so a name never changes meaning and may be kept for good. */
const HASHED_ASSETS = '/assets/';
const ONE_YEAR_MS = 365 * 24 * 3_600_000;

const isUnder = (pathname: string, prefix: string) => pathname === prefix || pathname.startsWith(`${prefix}/`) || (prefix === '/docs' && pathname.startsWith('/docs-'));

/** The request's path decoded, or undefined when it cannot name a file inside the build (bad escapes, NUL, backslashes, dot segments). */
function safePathname(url: string): string | undefined {
  const raw = url.split('?')[0] ?? '/';
  let pathname: string;
  try {
    pathname = decodeURIComponent(raw);
  } catch {
    return undefined;
  }
  if (pathname.includes('\u0000') || pathname.includes('\\')) return undefined;
  if (pathname.split('/').some((segment) => segment === '..' || segment === '.')) return undefined;
  return pathname;
}

async function isFile(file: string): Promise<boolean> {
  return stat(file).then((s) => s.isFile(), () => false);
}

export async function registerWorkbenchPages(fastify: FastifyInstance, distDir: string): Promise<void> {
  const root = path.resolve(distDir);
  // serve: false: the one route below decides what a path means (a file, the page, or
  // the API's 404); the plugin lends it sendFile. Swagger UI registers the same plugin
  // for /docs with decorateReply off, so sendFile is free to decorate here.
  await fastify.register(fastifyStatic, { root, serve: false, dotfiles: 'ignore' });

  const sendPage = (reply: FastifyReply, relative: string) => {
    // The page and other unhashed files are revalidated on every load (ETag), so a new
    // build reaches everyone at once; hashed assets are never asked for again.
    if (relative.startsWith(HASHED_ASSETS)) return reply.sendFile(relative, { maxAge: ONE_YEAR_MS, immutable: true });
    return reply.header('cache-control', 'no-cache').sendFile(relative, { cacheControl: false });
  };

  fastify.get('/*', { config: { workbenchPages: true } }, async (request: FastifyRequest, reply: FastifyReply) => {
    const pathname = safePathname(request.raw.url ?? '/');
    if (pathname === undefined || API_PREFIXES.some((prefix) => isUnder(pathname, prefix))) return reply.callNotFound();
    const file = path.join(root, pathname);
    // Belt and braces after the dot-segment check: nothing outside the build is ever sent.
    if (file !== root && !file.startsWith(`${root}${path.sep}`)) return reply.callNotFound();
    if (pathname !== '/' && !pathname.endsWith('/') && (await isFile(file))) {
      return sendPage(reply, `/${path.relative(root, file).split(path.sep).join('/')}`);
    }
    // A missing hashed asset is an old page asking for a file a newer build replaced:
    // a 404 tells its loader so, where the page in its place would fail as bad script.
    if (pathname.startsWith(HASHED_ASSETS)) return reply.callNotFound();
    // Every other path is one of the workbench's own routes (/flags/…, /cases/…): the page
    // is sent and its router shows the right screen, on a reload or a shared link alike.
    return sendPage(reply, '/index.html');
  });
}
