/**
 * The OpenAPI 3.1 description of the relay's HTTP API v1, served at /api/v1/openapi.json.
 * openapi.test.ts validates it and checks that it describes exactly the routes the handlers
 * serve (DOCUMENT_ROUTES).
 */

const error = {
  description: 'An error',
  content: {
    'application/json': { schema: { $ref: '#/components/schemas/Error' } },
  },
};

const errors = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((status) => [String(status), error]));

const room = {
  name: 'room',
  in: 'path',
  required: true,
  schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,128}$' },
} as const;

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

const written = {
  description: 'Written, stored and sent to everyone connected',
  content: {
    'application/json': {
      schema: {
        type: 'object',
        required: ['room', 'length'],
        properties: { room: { type: 'string' }, length: { type: 'integer' } },
      },
    },
  },
};

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
        requestBody: {
          required: false,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  text: { type: 'string' },
                  title: { type: 'string', maxLength: 200 },
                  language: { type: 'string' },
                },
              },
            },
          },
        },
        responses: {
          '201': {
            description: 'Created',
            content: {
              'application/json': { schema: { $ref: '#/components/schemas/Created' } },
            },
          },
          ...errors(400, 401, 403, 413),
        },
      },
    },
    '/api/v1/documents/{room}': {
      parameters: [room],
      get: {
        operationId: 'getDocument',
        summary: 'What a document is: title, language, length, last edit, people connected',
        responses: {
          '200': {
            description: 'The document',
            content: {
              'application/json': { schema: { $ref: '#/components/schemas/Document' } },
            },
          },
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
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
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
              },
            },
          },
        },
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
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['title'],
                properties: { title: { type: 'string', maxLength: 200 } },
              },
            },
          },
        },
        responses: {
          '200': {
            description: 'Set',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: { room: { type: 'string' }, title: { type: 'string' } },
                },
              },
            },
          },
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
          '200': {
            description: 'The versions',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    versions: { type: 'array', items: { $ref: '#/components/schemas/Version' } },
                  },
                },
              },
            },
          },
          ...errors(400, 401),
        },
      },
      post: {
        operationId: 'saveVersion',
        summary: 'Save a named version of the document as it is now',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['name'],
                properties: { name: { type: 'string' }, author: { type: 'string' } },
              },
            },
          },
        },
        responses: {
          '201': {
            description: 'Saved',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: { version: { $ref: '#/components/schemas/Version' } },
                },
              },
            },
          },
          ...errors(400, 401, 403, 413),
        },
      },
    },
    '/api/v1/documents/{room}/versions/{version}': {
      parameters: [
        room,
        { name: 'version', in: 'path', required: true, schema: { type: 'string' } },
      ],
      get: {
        operationId: 'getVersion',
        summary: 'One version and its text',
        responses: {
          '200': {
            description: 'The version',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    version: { $ref: '#/components/schemas/Version' },
                    text: { type: 'string' },
                  },
                },
              },
            },
          },
          ...errors(400, 401, 404),
        },
      },
    },
    '/api/v1/documents/{room}/versions/{version}/restore': {
      parameters: [
        room,
        { name: 'version', in: 'path', required: true, schema: { type: 'string' } },
      ],
      post: {
        operationId: 'restoreVersion',
        summary: 'Make the text the version’s again, as a live edit',
        parameters: [author],
        responses: {
          '200': {
            description: 'Restored',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    room: { type: 'string' },
                    length: { type: 'integer' },
                    restored: { type: 'string' },
                  },
                },
              },
            },
          },
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
          '200': {
            description: 'OpenAPI 3.1',
            content: { 'application/json': { schema: { type: 'object' } } },
          },
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
              'too-large',
              'internal',
            ],
          },
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
