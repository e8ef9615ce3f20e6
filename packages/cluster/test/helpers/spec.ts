import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import AjvModule from 'ajv';
import addFormatsModule from 'ajv-formats';

const SPEC = fileURLToPath(new URL('../../../../../shared/spec/runai-openapi-2.24.json', import.meta.url));
const Ajv = AjvModule as unknown as typeof AjvModule.default;
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

/** OpenAPI 3.0 `nullable` → JSON Schema type unions, as spec/README.md describes. */
function denull(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(denull);
  if (!node || typeof node !== 'object') return;
  const o = node as Record<string, unknown>;
  if (o.nullable === true && typeof o.type === 'string') o.type = [o.type, 'null'];
  delete o.nullable;
  Object.values(o).forEach(denull);
}

let ajv: InstanceType<typeof Ajv> | undefined;
let doc: {
  components: unknown;
  paths: Record<string, Record<string, { responses: Record<string, { $ref?: string }> }>>;
};

/**
 * Throws unless `body` validates against the spec's response schema for `method path status`.
 *
 * @example
 * ```ts
 * assertSpecResponse('get', '/api/v1/workloads', 200, res.body)
 * ```
 */
export function assertSpecResponse(method: string, path: string, status: number, body: unknown): void {
  if (!ajv) {
    doc = JSON.parse(readFileSync(SPEC, 'utf8'));
    denull(doc);
    ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
    addFormats(ajv);
    ajv.addKeyword('example');
    ajv.addSchema({ $id: 'spec', components: doc.components, paths: doc.paths });
  }
  const pointer = path.replaceAll('/', '~1').replaceAll('{', '%7B').replaceAll('}', '%7D');
  // Shared responses (`202Accepted`, …) are references; follow them to their schema.
  const shared = doc.paths[path]?.[method]?.responses[String(status)]?.$ref;
  const response = shared ? `spec${shared}` : `spec#/paths/${pointer}/${method}/responses/${status}`;
  const validate = ajv.compile({ $ref: `${response}/content/application~1json/schema` });
  if (!validate(body)) {
    throw new Error(
      `${method.toUpperCase()} ${path} ${status} does not match the spec: ${ajv.errorsText(validate.errors)}`,
    );
  }
}
