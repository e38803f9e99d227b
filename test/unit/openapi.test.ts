import { readFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { OPENAPI_PATH, OPENAPI_ROUTE, openApiDocument } from '../../functions/api/openapi.ts';
import { ROUTES } from '../../functions/api/routes.ts';
import type { FaultInjector, Outbox } from '../../infra/local/aws/index.ts';
import type { DevIssuer } from '../../infra/local/dev-issuer.ts';
import { localRoutes } from '../../infra/local/local-routes.ts';

const committedText = () => readFile(new URL(`../../${OPENAPI_PATH}`, import.meta.url), 'utf8');

/** A maintained OpenAPI 3.1 validator (the specification's JSON Schemas), not one of our own. */
const validator = new Validator();

type Operation = { operationId: string; security: unknown[]; responses: Record<string, unknown> };
type Document = { openapi: string; paths: Record<string, Record<string, Operation>> };

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const document = JSON.parse(await committedText());

    const result = await validator.validate(document);

    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('would be refused with an operation missing its responses', async () => {
    const document = JSON.parse(await committedText());
    const operation = document.paths['/cases'].post;
    delete operation.responses;
    operation.parameters = [{ name: 'x' }];

    expect((await new Validator().validate(document)).valid).toBe(false);
  });

  it('is the committed file, up to date with the schemas', async () => {
    expect(JSON.parse(await committedText())).toEqual(openApiDocument());
  });

  it('has every route of routes.ts with its method, its operation (else its function) as operationId, and bearer security', async () => {
    const document = JSON.parse(await committedText()) as Document;

    for (const route of ROUTES) {
      const operation = document.paths[route.path]?.[route.method.toLowerCase()];
      expect(operation, `${route.method} ${route.path}`).toBeDefined();
      expect(operation?.operationId).toBe('operation' in route ? route.operation : route.functionId);
      if ('auth' in route && route.auth === 'none') {
        // A page an email links to: its signed path token is the credential.
        expect(operation?.security).toEqual([]);
        expect(operation?.responses).not.toHaveProperty('401');
      } else {
        expect(operation?.security).toEqual([{ bearerJwt: [] }]);
        expect(operation?.responses).toHaveProperty('401');
      }
    }
    const operations = Object.values(document.paths).flatMap((item) => Object.keys(item));
    expect(operations).toHaveLength(ROUTES.length + 1);
    expect(document.paths[OPENAPI_ROUTE.path]?.get?.security).toEqual([]);
  });

  it('declares the Idempotency-Key header on POST /cases and the error envelope on a 422', async () => {
    const document = JSON.parse(await committedText());

    const createCase = document.paths['/cases'].post;

    expect(createCase.parameters).toContainEqual(
      expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: true }),
    );
    expect(createCase.responses['422']).toEqual({ $ref: '#/components/responses/ValidationFailed' });
    expect(document.components.schemas.Error.properties.error.required).toEqual([
      'status',
      'code',
      'message',
      'issues',
    ]);
  });

  it('is answered, as committed, at GET /openapi.json by the local runtime without a token', async () => {
    const route = localRoutes({
      issuer: {} as DevIssuer,
      outbox: {} as Outbox,
      failedSchedules: () => [],
      describe: () => ({}),
      faults: {} as FaultInjector,
      dynamoDbFaults: false,
    });

    const answer = await route(new URL('http://localhost/openapi.json'), {
      method: 'GET',
    } as IncomingMessage);

    expect(answer?.status).toBe(200);
    expect(answer?.contentType).toMatch(/^application\/json/);
    expect(String(answer?.body)).toBe(await committedText());
  });
});
