import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from 'zod-openapi';
import { API_ENDPOINTS, ApiErrorBody, jsonResponseOf, type EndpointContract } from '@qadaga/contracts/api';

type OpenApiDocument = ReturnType<typeof createDocument>;

const ERRORS = {
  400: 'the query or a path parameter is wrong; each field is named',
  401: 'no valid credential',
  403: 'the credential may not call this, or the person is recused from what it concerns',
  404: 'no such thing',
  422: 'the body is wrong; each field is named with the reason',
} as const;

/**
 * The OpenAPI description, generated from the same zod contracts the server parses
 * requests and answers with (zod-openapi), so it cannot drift from what is served.
 */
export function buildOpenApi(): OpenApiDocument {
  const paths: ZodOpenApiPathsObject = {};
  for (const contract of API_ENDPOINTS) {
    const item = (paths[contract.path] ??= {});
    item[contract.method.toLowerCase() as 'get' | 'post' | 'put' | 'delete'] = operationOf(contract);
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Qadaga API',
      version: '0.1.0',
      description:
        'One tamper-evident ledger of every step of every camera-detected violation. Source systems write with their key; ' +
        'reads of plates and officers are recorded in the access log. Every error names the field and the reason.',
    },
    security: [{ bearer: [] }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'A session token from POST /v1/auth/login, or an API key (a source key or a service key with reader roles)' },
      },
    },
    paths,
  });
}

function operationOf(contract: EndpointContract): ZodOpenApiOperationObject {
  const status = String(contract.status ?? 200);
  const answer = contract.response;
  const json = jsonResponseOf(contract);
  const success =
    answer === 'empty'
      ? { description: 'done; nothing to answer' }
      : json !== null
        ? { description: 'success', content: { 'application/json': { schema: json } } }
        : 'media' in answer
          ? { description: answer.description, content: { [answer.media]: { schema: { type: 'string' as const, format: 'binary' } } } }
          : { description: 'success' };
  const errors = Object.fromEntries(Object.entries(ERRORS).map(([code, description]) => [code, { description, content: { 'application/json': { schema: ApiErrorBody } } }]));
  return {
    tags: [contract.tag],
    summary: contract.summary,
    description: contract.access === 'public' ? 'Anyone may call this, without credentials.' : `Who may call this: ${contract.access.join(', ')}.`,
    ...(contract.access === 'public' ? { security: [] } : {}),
    'x-roles': contract.access === 'public' ? [] : [...contract.access],
    ...(contract.params === undefined && contract.query === undefined
      ? {}
      : { requestParams: { ...(contract.params === undefined ? {} : { path: contract.params }), ...(contract.query === undefined ? {} : { query: contract.query as never }) } }),
    ...(contract.body !== undefined
      ? { requestBody: { required: true, content: { 'application/json': { schema: contract.body } } } }
      : contract.rawBody !== undefined
        ? {
            requestBody: {
              required: true,
              description: contract.rawBody.description,
              content: Object.fromEntries(contract.rawBody.media.map((media) => [media, { schema: contract.rawBody?.schema ?? { type: 'string' as const, format: 'binary' } }])),
            },
          }
        : {}),
    responses: { [status]: success, ...errors },
  };
}
