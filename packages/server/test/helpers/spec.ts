import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

const SPEC = fileURLToPath(new URL('../../../../../shared/spec/runai-openapi-2.24.json', import.meta.url));

type Json = Record<string, unknown>;
interface SpecDoc {
  paths: Record<string, Record<string, { operationId?: string; responses?: Record<string, Json> }>>;
  components: Json & { responses?: Record<string, Json> };
}

/** The Run:ai spec, or a clear failure when `../shared/spec` is not beside the repo. */
export function loadSpec(): SpecDoc {
  if (!existsSync(SPEC))
    throw new Error(`the Run:ai spec is missing: expected ${SPEC} (../shared/spec beside the repo)`);
  return JSON.parse(readFileSync(SPEC, 'utf8')) as SpecDoc;
}

/** OpenAPI 3.0 `nullable` → JSON Schema type unions, in place (spec/README.md). */
function denullify(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(denullify);
  if (!node || typeof node !== 'object') return;
  const o = node as Json;
  if (o.nullable === true) {
    if (typeof o.type === 'string') o.type = [o.type, 'null'];
    if (Array.isArray(o.enum) && !o.enum.includes(null)) o.enum = [...o.enum, null];
  }
  delete o.nullable;
  Object.values(o).forEach(denullify);
}

const pointer = (s: string) =>
  s.replaceAll('~', '~0').replaceAll('/', '~1').replaceAll('{', '%7B').replaceAll('}', '%7D');

/**
 * Validates response bodies against the spec's schemas and remembers which operations were
 * exercised, so a test can report (and require) its coverage.
 *
 * @example
 * ```ts
 * const spec = specValidator()
 * spec.check('get', '/api/v1/org-unit/projects', 200, body)
 * ```
 */
export function specValidator() {
  const doc = loadSpec();
  denullify(doc);
  const addFormats =
    (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
  (addFormats as unknown as (a: Ajv) => void)(ajv);
  ajv.addKeyword('example');
  ajv.addSchema({ $id: 'spec', components: doc.components, paths: doc.paths });
  const cache = new Map<string, ValidateFunction>();
  const covered = new Map<string, Set<number>>();
  const undocumented = new Set<string>();
  let errorSchema: ValidateFunction | undefined;
  const errorValidator = () => (errorSchema ??= ajv.compile({ $ref: 'spec#/components/schemas/Error' }));
  function markCovered(method: string, path: string, status: number): void {
    const set = covered.get(`${method} ${path}`) ?? new Set<number>();
    set.add(status);
    covered.set(`${method} ${path}`, set);
  }

  function check(method: string, path: string, status: number, body: unknown): void {
    const op = doc.paths[path]?.[method];
    if (!op) throw new Error(`${method.toUpperCase()} ${path} is not in the spec`);
    let response = op.responses?.[String(status)] as Json | undefined;
    if (!response && status >= 400) {
      // Bad input is a 4xx even where the spec lists none for the operation (e.g. a malformed
      // `start` on the audit log): the body must still be the spec's Error.
      undocumented.add(`${method} ${path} ${status}`);
      markCovered(method, path, status);
      const validate = errorValidator();
      if (!validate(body))
        throw new Error(`${method} ${path} ${status}: not the spec's Error body: ${JSON.stringify(body)}`);
      return;
    }
    if (!response)
      throw new Error(`${method.toUpperCase()} ${path}: status ${status} is not documented by the spec`);
    let ref = `spec#/paths/${pointer(path)}/${method}/responses/${status}`;
    if (typeof response.$ref === 'string') {
      const name = response.$ref.split('/').pop() as string;
      response = doc.components.responses?.[name];
      ref = `spec#/components/responses/${pointer(name)}`;
    }
    const content = (response?.content as Json | undefined)?.['application/json'] as Json | undefined;
    const key = `${method} ${path} ${status}`;
    markCovered(method, path, status);
    // No documented body (e.g. PATCH /api/v1/apps/{appId} 200): clients ignore whatever comes.
    if (!content?.schema) return;
    let validate = cache.get(key);
    if (!validate) {
      validate = ajv.compile({ $ref: `${ref}/content/application~1json/schema` });
      cache.set(key, validate);
    }
    if (!validate(body)) {
      throw new Error(
        `${key}: response does not match the spec:\n${ajv.errorsText(validate.errors, { separator: '\n' })}\nbody: ${JSON.stringify(body).slice(0, 1500)}`,
      );
    }
  }

  return {
    doc,
    check,
    covered,
    /** Error statuses answered where the spec documents none (validated against its Error schema). */
    undocumented,
    /** `METHOD /path` of every spec operation, for matching against the server's routes. */
    has: (method: string, path: string) => !!doc.paths[path]?.[method],
  };
}
