import type { FastifyError } from 'fastify';

/**
 * The message for a request that failed schema validation, as both services word it: the field's
 * path, then the problem — `body.name: must match pattern "…"`, `body.projectId: must have required
 * property`, `body.colour: is not a known field`. A field is named even when Ajv reports it on its
 * parent (a missing or an unknown property).
 *
 * @example
 * ```ts
 * if (error.validation) return reply.code(400).send({ code: 400, message: validationMessage(error) })
 * ```
 */
export function validationMessage(error: Pick<FastifyError, 'validation' | 'validationContext'>): string {
  const first = error.validation?.[0];
  const params = (first?.params ?? {}) as Record<string, unknown>;
  const path = [error.validationContext, ...(first?.instancePath ?? '').split('/').filter(Boolean)]
    .filter(Boolean)
    .join('.');
  const named =
    typeof params.missingProperty === 'string'
      ? params.missingProperty
      : typeof params.additionalProperty === 'string'
        ? params.additionalProperty
        : undefined;
  const field = named === undefined ? path : `${path ? path + '.' : ''}${named}`;
  const problem =
    typeof params.additionalProperty === 'string' ? 'is not a known field' : (first?.message ?? 'is invalid');
  return `${field || 'request'}: ${problem}`;
}
