import { NestFactory } from '@nestjs/core';
import type { RawServerDefault } from 'fastify';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import rateLimit from '@fastify/rate-limit';
import { SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { AppConfig } from '@qadaga/config';
import { utf8Problem } from '@qadaga/ledger';
import { AppModule } from './app.module.js';
import { ErrorBodyFilter } from './http/error-body.filter.js';
import { buildOpenApi } from './openapi.js';
import { isWorkbenchPagesRoute, registerWorkbenchPages } from './web/workbench-pages.js';
import { BATCH_INGEST_URL, JsonText, SINGLE_INGEST_URL } from './ingest/json-text.js';
import { forbiddenKeyError, forbiddenKeyPath, notUtf8Error, unstorableTextError, unstorableTextPath } from './http/json-body.js';

export interface RouteInfo {
  method: string;
  url: string;
}

const routesOf = new WeakMap<NestFastifyApplication, RouteInfo[]>();

/** Every route the application registered, the workbench's pages aside (they hold no data): the access-policy test walks them all. */
export function registeredRoutes(app: NestFastifyApplication): RouteInfo[] {
  return routesOf.get(app) ?? [];
}

/** The names of the path or query values that hold a NUL character. */
function nulFields(values: unknown, where: string): string[] {
  if (values === null || typeof values !== 'object') return [];
  return Object.entries(values as Record<string, unknown>)
    .filter(([, v]) => [v].flat().some((x) => typeof x === 'string' && x.includes('\u0000')))
    .map(([name]) => (where === 'path' ? name : `${where}.${name}`));
}

/** Builds the HTTP application; main.ts listens on it and the tests drive it in-process. */
export async function createApp(config: AppConfig, options: { logger?: boolean } = {}): Promise<NestFastifyApplication> {
  // X-Forwarded-For is believed only from the proxies the operator listed: otherwise any
  // client could pick a fresh address for every sign-in attempt and for the access log.
  const trustProxy = config.http.trustedProxies.length > 0 ? config.http.trustedProxies : false;
  const adapter = new FastifyAdapter({ bodyLimit: config.ingest.maxBodyBytes, logger: false, trustProxy });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    // Route mapping chatter only at debug; operators see warnings and errors.
    logger: options.logger === false ? false : config.http.logLevel === 'debug' || config.http.logLevel === 'trace' ? ['error', 'warn', 'log', 'debug'] : ['error', 'warn'],
  });
  const fastify = app.getHttpAdapter().getInstance();
  const routes: RouteInfo[] = [];
  routesOf.set(app, routes);
  fastify.addHook('onRoute', (route) => {
    if (isWorkbenchPagesRoute(route.config)) return;
    for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push({ method, url: route.url });
  });
  // A batch of events reaches its controller as bytes, checked to be UTF-8, decoded and
  // parsed beside its validation in worker threads; every other JSON body is checked
  // (see utf8Problem) and parsed here. Events keep __proto__ and constructor keys as the
  // plain data JSON.parse makes of them, so the contract refuses them as unknown fields,
  // by path, one event at a time; any other body with one is refused whole, naming where.
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  const parseEvents = fastify.getDefaultJsonParser('ignore', 'ignore');
  app.useBodyParser<RawServerDefault>('application/json', { bodyLimit: config.ingest.maxBodyBytes }, (request, body, done) => {
    const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body);
    const ingest = request.method === 'POST' ? request.routeOptions.url : undefined;
    if (ingest === BATCH_INGEST_URL) return done(null, new JsonText(bytes));
    const problem = utf8Problem(bytes);
    if (problem !== undefined) return done(notUtf8Error(problem));
    // Fastify's parser reads a buffer as well (its types say string), as Nest's default hands it one.
    if (ingest === SINGLE_INGEST_URL) return parseEvents(request, bytes as unknown as string, done);
    parseJson(request, bytes as unknown as string, (error: Error | null, value?: unknown) => {
      if (error === null) {
        const unstorable = unstorableTextPath(value);
        return unstorable === undefined ? done(null, value) : done(unstorableTextError(unstorable));
      }
      const path = parsedForbiddenKeyPath(bytes);
      done(path === undefined ? error : forbiddenKeyError(path));
    });
  });
  // NDJSON is handed to the controller as the raw stream, parsed line by line there.
  fastify.addContentTypeParser('application/x-ndjson', (_request, payload, done) => done(null, payload));
  // A bundle to verify is streamed to the verifier, never read whole into memory.
  fastify.addContentTypeParser('application/zip', (_request, payload, done) => done(null, payload));
  await fastify.register(rateLimit, {
    max: config.rateLimitPerMinute,
    timeWindow: '1 minute',
    // Per credential, so one noisy source cannot starve the others; per address without one.
    keyGenerator: (request) => {
      const auth = request.headers.authorization ?? request.headers['x-api-key'];
      return typeof auth === 'string' ? `key:${auth.slice(-16)}` : `ip:${request.ip}`;
    },
    allowList: (request) => request.url.startsWith('/health'),
  });
  // PostgreSQL text cannot hold NUL: a path or query value with one is refused here, naming
  // it, before any handler hands it to a query that would fail with a 500.
  fastify.addHook('preHandler', async (request, reply) => {
    const refused = nulFields(request.params, 'path').concat(nulFields(request.query, 'query'));
    if (refused.length > 0) {
      await reply.status(400).send({ statusCode: 400, error: 'Bad Request', message: 'invalid request', reasons: refused.map((path) => ({ path, message: 'must not contain NUL characters' })) });
    }
  });
  app.useGlobalFilters(new ErrorBodyFilter());
  // Served by Swagger UI as it is: the document is generated from the contracts, not from decorators.
  SwaggerModule.setup('docs', app, buildOpenApi() as OpenAPIObject, { jsonDocumentUrl: 'docs/openapi.json' });
  if (config.http.webDistDir !== null) await registerWorkbenchPages(fastify, config.http.webDistDir);
  await app.init();
  await fastify.ready();
  return app;
}

/** Fastify's parser says only that a body is not valid JSON; where it is JSON, this finds the forbidden key it refused. */
function parsedForbiddenKeyPath(bytes: Buffer): string | undefined {
  try {
    return forbiddenKeyPath(JSON.parse(bytes.toString('utf8')) as unknown);
  } catch {
    return undefined;
  }
}
