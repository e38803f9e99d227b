import { z } from 'zod';
import { type Answer, CONTRACTS, type RouteContract } from './contracts.ts';
import { OPENAPI_PATH, OPENAPI_ROUTE } from './openapi-location.ts';
import { ROUTES } from './routes.ts';

/**
 * The API's OpenAPI 3.1 document, built from routes.ts and the zod schemas of contracts.ts (the ones the
 * handlers validate with) by zod's own `z.toJSONSchema`. `npm run openapi` writes it to docs/openapi.json;
 * `npm run check` fails when that file is stale. Side-effect free, like contracts.ts.
 */

export { OPENAPI_PATH, OPENAPI_ROUTE };

type JsonSchema = Record<string, unknown>;

/** JSON Schema 2020-12 (OpenAPI 3.1's dialect) of what a caller sends or receives. */
const schemaOf = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
  }) as JsonSchema;
  return rest;
};

const ref = (kind: 'schemas' | 'responses', name: string) => ({ $ref: `#/components/${kind}/${name}` });

const ERROR_BODY = {
  type: 'object',
  description: 'Every error SellerWorks itself answers (functions/commons/http/api-handler.ts).',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['status', 'code', 'message', 'issues'],
      properties: {
        status: { type: 'integer', description: 'the HTTP status again' },
        code: {
          type: 'string',
          description:
            'machine-readable: bad_request, unauthorized, forbidden, not_found, conflict, payload_too_large, unsupported_media_type, validation_failed, idempotency_key_reused, unavailable, internal_error',
        },
        message: { type: 'string', description: 'what went wrong, for a person' },
        issues: {
          type: 'array',
          description: 'each problem with the input: where (a dotted field path) and what',
          items: {
            type: 'object',
            required: ['path', 'reason'],
            properties: {
              path: {
                type: 'string',
                description:
                  '`amount`, `items.0.kind`, `headers.Idempotency-Key`, `(body)` or `(root)` for the whole',
              },
              reason: { type: 'string' },
            },
          },
        },
      },
    },
  },
};

const GATEWAY_BODY = {
  type: 'object',
  description: "API Gateway's own answer (the JWT authorizer, the throttle, an unknown route): no envelope.",
  required: ['message'],
  properties: { message: { type: 'string' } },
};

const retryAfter = (seconds: number) => ({
  'Retry-After': {
    description: `seconds to wait before sending the same request (${seconds})`,
    schema: { type: 'integer' },
  },
});

const errorResponse = (description: string, extra: Record<string, unknown> = {}) => ({
  description,
  content: { 'application/json': { schema: ref('schemas', 'Error') } },
  ...extra,
});

/** The error answers, by status: one shared definition each, referenced from every operation. */
const ERRORS: Record<number, [name: string, response: Record<string, unknown>]> = {
  400: [
    'BadRequest',
    errorResponse(
      'the request cannot be read: a body absent or not JSON, a missing or malformed required header, a malformed percent-escape in the path',
    ),
  ],
  401: [
    'Unauthorized',
    {
      description:
        'no valid bearer token (the JWT authorizer answers `{ message }`), or a token without a subject',
      content: {
        'application/json': {
          schema: { oneOf: [ref('schemas', 'GatewayMessage'), ref('schemas', 'Error')] },
        },
      },
    },
  ],
  403: [
    'Forbidden',
    errorResponse(
      'the token carries no SellerWorks role, or not the role (or team, or agent) this route needs',
    ),
  ],
  404: [
    'NotFound',
    errorResponse('no such case or agent, or not one this caller may see (another seller’s case is 404)'),
  ],
  409: [
    'Conflict',
    errorResponse(
      'the case is not in a state for this (nothing written), or another write raced this one (`code: conflict` with Retry-After: send it again)',
      { headers: retryAfter(1) },
    ),
  ],
  413: ['PayloadTooLarge', errorResponse('the body is over 1 MiB; refused before it is read whole')],
  415: ['UnsupportedMediaType', errorResponse('the body is not `application/json` (or `+json`)')],
  422: [
    'ValidationFailed',
    errorResponse(
      'the input is well-formed but invalid: `issues` names each field (unknown fields and query parameters included)',
    ),
  ],
  429: [
    'TooManyRequests',
    {
      description: "the API's throttle (API Gateway answers `{ message }`)",
      content: { 'application/json': { schema: ref('schemas', 'GatewayMessage') } },
    },
  ],
  500: ['InternalError', errorResponse('an unexpected error; nothing about it is exposed, retry later')],
  503: [
    'Unavailable',
    errorResponse('a service this request needs is busy; nothing was lost, send the same request again', {
      headers: retryAfter(2),
    }),
  ],
};

const errorStatuses = (contract: RouteContract): number[] => {
  const signedIn = contract.audience === 'public' ? [] : [401, 403];
  const statuses = new Set<number>([...signedIn, 429, 500, 503, ...(contract.errors ?? [])]);
  if (contract.body) for (const s of [400, 413, 415, 422]) statuses.add(s);
  if (contract.path) for (const s of [400, 404]) statuses.add(s);
  if (contract.query) statuses.add(422);
  return [...statuses].sort((a, b) => a - b);
};

/** One OpenAPI parameter per property of an object schema (path or query). */
const parametersOf = (schema: z.ZodObject, where: 'path' | 'query') => {
  const json = schemaOf(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: where,
      required: where === 'path' || (json.required ?? []).includes(name),
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
    };
  });
};

const answerOf = ({ description, schema, headers, mediaType }: Answer) => ({
  description,
  ...(headers
    ? {
        headers: Object.fromEntries(
          Object.entries(headers).map(([name, text]) => [
            name,
            { description: text, schema: { type: 'string' } },
          ]),
        ),
      }
    : {}),
  ...(schema ? { content: { 'application/json': { schema: schemaOf(schema, 'output') } } } : {}),
  ...(mediaType ? { content: { [mediaType]: { schema: { type: 'string' } } } } : {}),
});

const WHO: Record<RouteContract['audience'], string> = {
  any: 'any signed-in caller (`role` seller or ops)',
  seller: 'a seller (`role: seller`)',
  ops: 'ops (`role: ops`)',
  public: 'anyone holding the signed link (no token)',
};

const operationOf = (functionId: keyof typeof CONTRACTS, method: string, path: string) => {
  const contract: RouteContract = CONTRACTS[functionId];
  const parameters = [
    ...(contract.path ? parametersOf(contract.path, 'path') : []),
    ...(contract.query ? parametersOf(contract.query, 'query') : []),
    ...Object.entries(contract.headers ?? {}).map(([name, h]) => ({
      name,
      in: 'header',
      required: h.required,
      description: h.description,
      schema: schemaOf(h.schema, 'input'),
    })),
  ];
  return {
    operationId: functionId,
    summary: contract.summary,
    description: `${method} ${path}. Who: ${contract.who ?? WHO[contract.audience]}.`,
    tags: [path.startsWith('/ops/') ? 'ops' : 'seller portal'],
    security: contract.audience === 'public' ? [] : [{ bearerJwt: [] }],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(contract.body
      ? {
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: schemaOf(contract.body, 'input') },
              ...(contract.formBody
                ? { 'application/x-www-form-urlencoded': { schema: schemaOf(contract.body, 'input') } }
                : {}),
            },
          },
        }
      : {}),
    responses: {
      ...Object.fromEntries(Object.entries(contract.answers).map(([status, a]) => [status, answerOf(a)])),
      ...Object.fromEntries(
        errorStatuses(contract).map((status) => [
          String(status),
          ref('responses', ERRORS[status]?.[0] ?? ''),
        ]),
      ),
    },
  };
};

export const openApiDocument = () => {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTES) {
    paths[route.path] ??= {};
    const operation = ('operation' in route ? route.operation : route.functionId) as keyof typeof CONTRACTS;
    paths[route.path]![route.method.toLowerCase()] = operationOf(operation, route.method, route.path);
  }
  paths[OPENAPI_ROUTE.path] = {
    get: {
      operationId: 'GetOpenApi',
      summary: 'This document',
      description: 'GET /openapi.json. Public: no token.',
      tags: ['meta'],
      security: [],
      responses: {
        200: {
          description: 'the OpenAPI 3.1 document of this API',
          content: { 'application/json': { schema: { type: 'object' } } },
        },
      },
    },
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'SellerWorks API',
      version: '1',
      description:
        'Seller-support orchestration: seller portals open and follow cases; ops decide, transfer, assign and reply. Generated from functions/api/routes.ts and the zod schemas the handlers validate with (functions/api/contracts.ts); regenerate with `npm run openapi`.',
    },
    jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
    tags: [
      { name: 'seller portal', description: 'routes for sellers (some also answer ops)' },
      { name: 'ops', description: 'routes for support, trust & safety, finance, policy and ops staff' },
      { name: 'meta', description: 'about the API itself' },
    ],
    security: [{ bearerJwt: [] }],
    paths,
    components: {
      securitySchemes: {
        bearerJwt: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'A JWT from the marketplace’s identity provider (on AWS: checked by the HTTP API’s JWT authorizer; locally: `GET /dev/token`). Claims: `sub` (seller or staff id), `role` (`seller` | `ops`), `team` (ops; none for a supervisor), `tier` (sellers: `new` | `standard` | `top_rated`). Each operation says which role it needs; the handler checks it (403 otherwise).',
        },
      },
      schemas: { Error: ERROR_BODY, GatewayMessage: GATEWAY_BODY },
      responses: Object.fromEntries(Object.values(ERRORS)),
    },
  };
};

/** The document as committed: two-space JSON with a final newline. */
export const openApiText = () => `${JSON.stringify(openApiDocument(), null, 2)}\n`;
