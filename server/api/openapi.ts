/**
 * The OpenAPI 3.1 description of the relay's HTTP API v1, served at /api/v1/openapi.json.
 * openapi.test.ts validates it and checks that it describes exactly the routes under /api/ of
 * the relay's route table.
 */

/** A JSON response whose body is `schema`. */
const json = (description: string, schema: unknown) => ({
  description,
  content: { 'application/json': { schema } },
});

/** A JSON response: an object with `properties`. */
const jsonAnswer = (description: string, properties: Record<string, unknown>) =>
  json(description, { type: 'object', properties });

/** A JSON request body. */
const jsonBody = (required: boolean, schema: unknown) => ({
  required,
  content: { 'application/json': { schema } },
});

const error = json('An error', { $ref: '#/components/schemas/Error' });

const errors = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((status) => [String(status), error]));

const room = {
  name: 'room',
  in: 'path',
  required: true,
  schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,128}$' },
} as const;

const version = {
  name: 'version',
  in: 'path',
  required: true,
  schema: { type: 'string' },
} as const;

const webhookId = { name: 'id', in: 'path', required: true, schema: { type: 'string' } } as const;

const author = {
  name: 'X-Coedit-Author',
  in: 'header',
  required: false,
  description: 'Who the write is attributed to (at most 40 characters); "API" when absent.',
  schema: { type: 'string' },
} as const;

const textBody = {
  required: true,
  content: {
    'text/plain': { schema: { type: 'string' } },
    'application/json': {
      schema: {
        type: 'object',
        required: ['text'],
        properties: { text: { type: 'string' } },
      },
    },
  },
};

const written = json('Written, stored and sent to everyone connected', {
  type: 'object',
  required: ['room', 'length'],
  properties: { room: { type: 'string' }, length: { type: 'integer' } },
});

export const OPENAPI_DOCUMENT = {
  openapi: '3.1.0',
  info: {
    title: 'coedit relay API',
    version: '1.0.0',
    description:
      'Documents over HTTP while people edit them live. Authorization: Bearer with a share token of the room (view reads, edit writes) or an admin token, on a relay with a secret.',
  },
  servers: [{ url: '/' }],
  security: [{ bearer: [] }],
  paths: {
    '/api/v1/documents': {
      post: {
        operationId: 'createDocument',
        summary: 'Create a document (admin token on a relay with a secret)',
        parameters: [author],
        requestBody: jsonBody(false, {
          type: 'object',
          properties: {
            text: { type: 'string' },
            title: { type: 'string', maxLength: 200 },
            language: { type: 'string' },
          },
        }),
        responses: {
          '201': json('Created', { $ref: '#/components/schemas/Created' }),
          ...errors(400, 401, 403, 413, 429),
        },
      },
      get: {
        operationId: 'listDocuments',
        summary: 'A page of documents in id order (admin token on a relay with a secret)',
        parameters: [
          {
            name: 'after',
            in: 'query',
            required: false,
            description: 'The `next` of the previous page; absent for the first page.',
            schema: { type: 'string' },
          },
          {
            name: 'limit',
            in: 'query',
            required: false,
            schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
          },
        ],
        responses: {
          '200': json('The page, and where the next one starts (null: this was the last)', {
            type: 'object',
            required: ['documents', 'next'],
            properties: {
              documents: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['room', 'title', 'length', 'bytes', 'updatedAt', 'people'],
                  properties: {
                    room: { type: 'string' },
                    title: { type: 'string' },
                    length: { type: 'integer' },
                    bytes: { type: 'integer' },
                    updatedAt: { type: ['string', 'null'], format: 'date-time' },
                    people: { type: 'integer' },
                  },
                },
              },
              next: { type: ['string', 'null'] },
            },
          }),
          ...errors(400, 401, 403, 429),
        },
      },
    },
    '/api/v1/documents/{room}': {
      parameters: [room],
      delete: {
        operationId: 'deleteDocument',
        summary:
          'Delete a document for good (admin): its sockets close with 4410; text, versions, images and authors are removed',
        responses: {
          '200': json('Deleted', {
            type: 'object',
            required: ['room', 'deleted'],
            properties: { room: { type: 'string' }, deleted: { const: true } },
          }),
          ...errors(401, 403, 404, 410, 429),
        },
      },
      get: {
        operationId: 'getDocument',
        summary: 'What a document is: title, language, length, last edit, people connected',
        responses: {
          '200': json('The document', { $ref: '#/components/schemas/Document' }),
          ...errors(400, 401, 404),
        },
      },
    },
    '/api/v1/documents/{room}/text': {
      parameters: [room],
      get: {
        operationId: 'getText',
        summary: 'The text',
        responses: {
          '200': {
            description: 'The text',
            content: { 'text/plain': { schema: { type: 'string' } } },
          },
          ...errors(400, 401, 404),
        },
      },
      put: {
        operationId: 'putText',
        summary: 'Make the text exactly the body (the smallest edit that does it)',
        parameters: [author],
        requestBody: textBody,
        responses: { '200': written, ...errors(400, 401, 403, 413) },
      },
      patch: {
        operationId: 'patchText',
        summary: 'Apply edits given in offsets of the current text',
        parameters: [author],
        requestBody: jsonBody(true, {
          oneOf: [
            { type: 'array', items: { $ref: '#/components/schemas/Edit' } },
            {
              type: 'object',
              required: ['edits'],
              properties: {
                edits: { type: 'array', items: { $ref: '#/components/schemas/Edit' } },
                baseLength: {
                  type: 'integer',
                  description: '409 unless the text is this long',
                },
              },
            },
          ],
        }),
        responses: { '200': written, ...errors(400, 401, 403, 409, 413) },
      },
    },
    '/api/v1/documents/{room}/html': {
      parameters: [room],
      get: {
        operationId: 'getHtml',
        summary: 'The document rendered and sanitized as the preview shows it, one standalone page',
        responses: {
          '200': {
            description: 'The page',
            content: { 'text/html': { schema: { type: 'string' } } },
          },
          ...errors(400, 401, 404),
        },
      },
    },
    '/api/v1/documents/{room}/append': {
      parameters: [room],
      post: {
        operationId: 'appendText',
        summary: 'Append to the text',
        parameters: [author],
        requestBody: textBody,
        responses: { '200': written, ...errors(400, 401, 403, 413) },
      },
    },
    '/api/v1/documents/{room}/title': {
      parameters: [room],
      put: {
        operationId: 'putTitle',
        summary: 'Set the title',
        parameters: [author],
        requestBody: jsonBody(true, {
          type: 'object',
          required: ['title'],
          properties: { title: { type: 'string', maxLength: 200 } },
        }),
        responses: {
          '200': json('Set', {
            type: 'object',
            properties: { room: { type: 'string' }, title: { type: 'string' } },
          }),
          ...errors(400, 401, 403, 413),
        },
      },
    },
    '/api/v1/documents/{room}/versions': {
      parameters: [room],
      get: {
        operationId: 'listVersions',
        summary: 'The versions, oldest first (also at /rooms/{room}/versions)',
        responses: {
          '200': json('The versions', {
            type: 'object',
            properties: {
              versions: { type: 'array', items: { $ref: '#/components/schemas/Version' } },
            },
          }),
          ...errors(400, 401),
        },
      },
      post: {
        operationId: 'saveVersion',
        summary: 'Save a named version of the document as it is now',
        requestBody: jsonBody(true, {
          type: 'object',
          required: ['name'],
          properties: { name: { type: 'string' }, author: { type: 'string' } },
        }),
        responses: {
          '201': json('Saved', {
            type: 'object',
            properties: { version: { $ref: '#/components/schemas/Version' } },
          }),
          ...errors(400, 401, 403, 413),
        },
      },
    },
    '/api/v1/documents/{room}/versions/{version}': {
      parameters: [room, version],
      get: {
        operationId: 'getVersion',
        summary: 'One version and its text',
        responses: {
          '200': json('The version', {
            type: 'object',
            properties: {
              version: { $ref: '#/components/schemas/Version' },
              text: { type: 'string' },
            },
          }),
          ...errors(400, 401, 404),
        },
      },
    },
    '/api/v1/documents/{room}/authors': {
      parameters: [room],
      get: {
        operationId: 'getAuthors',
        summary: 'Every author of the document, and which Yjs client ids write as whom',
        responses: {
          '200': jsonAnswer('Authors and the client directory', {
            authors: { type: 'array', items: { $ref: '#/components/schemas/Author' } },
            clients: { type: 'object', additionalProperties: { type: 'string' } },
          }),
          ...errors(400, 401),
        },
      },
    },
    '/api/v1/documents/{room}/authorship': {
      parameters: [room],
      get: {
        operationId: 'getAuthorship',
        summary: 'Who wrote which part of the text now (UTF-16 offsets), as the relay vouches',
        responses: {
          '200': jsonAnswer('Authors and spans', {
            authors: { type: 'array', items: { $ref: '#/components/schemas/Author' } },
            spans: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  from: { type: 'integer' },
                  to: { type: 'integer' },
                  author: { type: 'string' },
                },
              },
            },
          }),
          ...errors(400, 401, 410),
        },
      },
    },
    '/api/v1/documents/{room}/comments': {
      parameters: [room],
      get: {
        operationId: 'getComments',
        summary: 'The comment threads, with where they are anchored and their messages',
        responses: {
          '200': jsonAnswer('The threads', {
            threads: { type: 'array', items: { type: 'object' } },
          }),
          ...errors(400, 401, 410),
        },
      },
    },
    '/api/v1/documents/{room}/versions/{version}/restore': {
      parameters: [room, version],
      post: {
        operationId: 'restoreVersion',
        summary: 'Make the text the version’s again, as a live edit',
        parameters: [author],
        responses: {
          '200': json('Restored', {
            type: 'object',
            properties: {
              room: { type: 'string' },
              length: { type: 'integer' },
              restored: { type: 'string' },
            },
          }),
          ...errors(400, 401, 403, 404),
        },
      },
    },
    '/api/v1/admin/stream': {
      get: {
        operationId: 'streamDashboard',
        summary: 'Live operations data (Server-Sent Events)',
        description:
          "The operations dashboard's feed: first `event: history` (up to 15 minutes of one-second samples per relay instance), then `event: sample` for each new sample of any instance, and `: heartbeat` comments. Needs an admin token on a relay with a secret.",
        responses: {
          '200': {
            description: 'An event stream that stays open',
            content: { 'text/event-stream': { schema: { type: 'string' } } },
          },
          ...errors(401, 403),
        },
      },
    },
    '/api/v1/webhooks': {
      post: {
        operationId: 'createWebhook',
        summary:
          'Register a webhook (admin token on a relay with a secret); the secret is shown only here',
        requestBody: jsonBody(true, {
          type: 'object',
          required: ['url', 'events'],
          properties: {
            url: { type: 'string', format: 'uri', description: 'http or https' },
            events: {
              type: 'array',
              minItems: 1,
              items: { $ref: '#/components/schemas/WebhookEvent' },
            },
            room: { type: ['string', 'null'], description: 'Only this room (else all)' },
            secret: {
              type: 'string',
              minLength: 16,
              maxLength: 256,
              description: 'HMAC key of X-Coedit-Signature; generated when absent',
            },
          },
        }),
        responses: {
          '201': json('Registered', {
            allOf: [
              { $ref: '#/components/schemas/Webhook' },
              {
                type: 'object',
                required: ['secret'],
                properties: { secret: { type: 'string' } },
              },
            ],
          }),
          ...errors(400, 401, 403, 409, 413),
        },
      },
      get: {
        operationId: 'listWebhooks',
        summary: 'Every webhook (without secrets)',
        responses: {
          '200': json('The webhooks', {
            type: 'object',
            properties: {
              webhooks: { type: 'array', items: { $ref: '#/components/schemas/Webhook' } },
            },
          }),
          ...errors(401, 403),
        },
      },
    },
    '/api/v1/webhooks/{id}': {
      parameters: [webhookId],
      get: {
        operationId: 'getWebhook',
        summary: 'One webhook (without its secret)',
        responses: {
          '200': json('The webhook', { $ref: '#/components/schemas/Webhook' }),
          ...errors(401, 403, 404),
        },
      },
      delete: {
        operationId: 'deleteWebhook',
        summary: 'Delete a webhook and its queued deliveries',
        responses: {
          '204': { description: 'Deleted' },
          ...errors(401, 403, 404),
        },
      },
    },
    '/api/v1/webhooks/{id}/deliveries': {
      parameters: [
        webhookId,
        {
          name: 'limit',
          in: 'query',
          required: false,
          schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
        },
      ],
      get: {
        operationId: 'listWebhookDeliveries',
        summary: 'The delivery log, newest first',
        responses: {
          '200': json('Deliveries', {
            type: 'object',
            properties: {
              deliveries: {
                type: 'array',
                items: { $ref: '#/components/schemas/WebhookDelivery' },
              },
            },
          }),
          ...errors(400, 401, 403, 404),
        },
      },
    },
    '/api/v1/openapi.json': {
      get: {
        operationId: 'getOpenApi',
        summary: 'This document',
        security: [],
        responses: {
          '200': json('OpenAPI 3.1', { type: 'object' }),
        },
      },
    },
  },
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    schemas: {
      Error: {
        type: 'object',
        required: ['error', 'code'],
        properties: {
          error: { type: 'string' },
          code: {
            enum: [
              'bad-request',
              'unauthorized',
              'forbidden',
              'not-found',
              'method-not-allowed',
              'conflict',
              'gone',
              'too-large',
              'unsupported-media-type',
              'rate-limited',
              'unavailable',
              'target-not-allowed',
              'internal',
            ],
          },
        },
      },
      Author: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          name: { type: ['string', 'null'] },
          color: { type: ['string', 'null'] },
        },
      },
      Created: {
        type: 'object',
        required: ['room', 'editUrl', 'viewUrl', 'editToken', 'viewToken'],
        properties: {
          room: { type: 'string' },
          editUrl: { type: 'string', description: 'Path of the app' },
          viewUrl: { type: 'string', description: 'Path of the app' },
          editToken: { type: ['string', 'null'] },
          viewToken: { type: ['string', 'null'] },
        },
      },
      Document: {
        type: 'object',
        required: ['room', 'title', 'language', 'length', 'updatedAt', 'people'],
        properties: {
          room: { type: 'string' },
          title: { type: 'string' },
          language: { type: 'string' },
          length: { type: 'integer', description: 'UTF-16 code units' },
          updatedAt: { type: ['string', 'null'], format: 'date-time' },
          people: { type: 'integer' },
        },
      },
      Version: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          kind: { enum: ['auto', 'named'] },
          name: { type: ['string', 'null'] },
          authors: { type: 'array', items: { type: 'string' } },
          createdAt: { type: 'integer' },
          bytes: { type: 'integer' },
        },
      },
      WebhookEvent: { enum: ['document.updated', 'version.created', 'document.deleted'] },
      Webhook: {
        type: 'object',
        required: ['id', 'url', 'events', 'room', 'createdAt'],
        properties: {
          id: { type: 'string' },
          url: { type: 'string' },
          events: { type: 'array', items: { $ref: '#/components/schemas/WebhookEvent' } },
          room: { type: ['string', 'null'] },
          createdAt: { type: 'string', format: 'date-time' },
        },
      },
      WebhookDelivery: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          event: { $ref: '#/components/schemas/WebhookEvent' },
          room: { type: 'string' },
          status: { enum: ['pending', 'delivered', 'failed'] },
          attempts: { type: 'integer' },
          createdAt: { type: 'string', format: 'date-time' },
          lastAttemptAt: { type: ['string', 'null'], format: 'date-time' },
          nextAttemptAt: { type: ['string', 'null'], format: 'date-time' },
          responseStatus: { type: ['integer', 'null'] },
          error: { type: ['string', 'null'] },
          payload: { type: 'object', description: 'The body sent (signed as sent)' },
        },
      },
      Edit: {
        type: 'object',
        required: ['from', 'to'],
        properties: {
          from: { type: 'integer', minimum: 0 },
          to: { type: 'integer', minimum: 0 },
          insert: { type: 'string' },
        },
      },
    },
  },
};
