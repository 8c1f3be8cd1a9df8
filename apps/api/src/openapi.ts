import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { lifecycleEventJsonSchema } from '@qadaga/contracts';

const fieldError = {
  type: 'object',
  required: ['path', 'message'],
  properties: { path: { type: 'string', example: 'payload.speed' }, message: { type: 'string' } },
};

const ingestOutcome = {
  type: 'object',
  required: ['index', 'eventId', 'status'],
  properties: {
    index: { type: 'integer', description: 'position of the event in the request' },
    eventId: { type: 'string', nullable: true },
    status: { type: 'string', enum: ['accepted', 'duplicate', 'rejected'] },
    contentHash: { type: 'string', description: 'SHA-256 of the RFC 8785 canonical event' },
    chainSeq: { type: 'string', description: "position in the source's hash chain" },
    reasons: { type: 'array', items: { $ref: '#/components/schemas/FieldError' } },
  },
};

/** The OpenAPI description, with the event schema generated from the same zod contract that validates requests. */
export function buildOpenApi(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Qadaga API')
    .setDescription(
      'One tamper-evident ledger of every step of every camera-detected violation. Source systems write with their key; ' +
        'reads of plates and officers are recorded in the access log. Every error names the field and the reason.',
    )
    .setVersion('0.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key: a source key (role source) or a service key with reader roles' })
    .build();
  const document = SwaggerModule.createDocument(app, config);
  const eventSchema = lifecycleEventJsonSchema();
  delete eventSchema['$schema'];
  document.components = {
    ...document.components,
    schemas: {
      ...document.components?.schemas,
      LifecycleEvent: eventSchema,
      FieldError: fieldError,
      IngestOutcome: ingestOutcome,
      IngestResponse: {
        type: 'object',
        properties: {
          summary: {
            type: 'object',
            properties: { accepted: { type: 'integer' }, duplicates: { type: 'integer' }, rejected: { type: 'integer' }, violations: { type: 'integer' } },
          },
          results: { type: 'array', items: { $ref: '#/components/schemas/IngestOutcome' } },
        },
      },
    },
  } as OpenAPIObject['components'];
  return document;
}
