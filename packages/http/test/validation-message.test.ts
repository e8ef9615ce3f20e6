import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { validationMessage } from '../src/validation-message.js';

// Real schemas through Fastify's own Ajv, as both services use them.
describe('validationMessage', () => {
  let app: FastifyInstance;

  before(async () => {
    // As the control plane configures it: unknown fields are refused, not silently dropped.
    app = Fastify({ ajv: { customOptions: { removeAdditional: false } } });
    app.setErrorHandler((error: FastifyError, _request, reply) =>
      reply
        .code(400)
        .send({ message: error.validation ? validationMessage(error) : 'not a validation error' }),
    );
    app.post(
      '/things',
      {
        schema: {
          querystring: {
            type: 'object',
            properties: { limit: { type: 'integer', maximum: 500 } },
          },
          body: {
            type: 'object',
            required: ['name'],
            additionalProperties: false,
            properties: {
              name: { type: 'string', pattern: '^[a-z]+$' },
              spec: { type: 'object', properties: { gpus: { type: 'number' } } },
            },
          },
        },
      },
      async () => ({ ok: true }),
    );
    await app.ready();
  });
  after(() => app.close());

  const message = async (url: string, payload: unknown) =>
    (await app.inject({ method: 'POST', url, payload: payload as object })).json().message as string;

  it('names a missing field under its parent', async () => {
    assert.equal(await message('/things', {}), "body.name: must have required property 'name'");
  });

  it('names an unknown field and says so', async () => {
    assert.equal(await message('/things', { name: 'a', colour: 'red' }), 'body.colour: is not a known field');
  });

  it('names a nested field by its path', async () => {
    assert.equal(
      await message('/things', { name: 'a', spec: { gpus: 'two' } }),
      'body.spec.gpus: must be number',
    );
    assert.match(await message('/things', { name: 'A' }), /^body\.name: must match pattern/);
  });

  it('names query fields too', async () => {
    assert.equal(await message('/things?limit=501', { name: 'a' }), 'querystring.limit: must be <= 500');
  });
});
