// Every request the fake receives is checked against GitHub's published OpenAPI description
// (@octokit/openapi): a request the real API would reject is answered 422 and recorded.
import { createRequire } from 'node:module';
import type { RecordedRequest } from '@org/mcp-core/testing';
import { Ajv } from 'ajv';

const require = createRequire(import.meta.url);

interface Operation {
  method: string;
  template: string;
  regex: RegExp;
  params: { name: string; in: string; required?: boolean; schema?: object }[];
  body?: { ref: string; required: boolean };
}

let operations: Operation[] | undefined;
let ajv: Ajv | undefined;

export function loadSpec(): { operations: Operation[]; ajv: Ajv } {
  if (operations && ajv) return { operations, ajv };
  const spec = require('@octokit/openapi/generated/api.github.com.json') as {
    paths: Record<
      string,
      Record<
        string,
        {
          parameters?: ({ $ref?: string } & Operation['params'][number])[];
          requestBody?: { required?: boolean; content?: Record<string, unknown> };
        }
      >
    >;
    components: { parameters: Record<string, Operation['params'][number]> };
  };
  // OpenAPI 3.0 `nullable` becomes JSON Schema: a null type beside the declared one (or no constraint).
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (o['nullable'] === true) {
      if (typeof o['type'] === 'string') o['type'] = [o['type'], 'null'];
      else if (Array.isArray(o['anyOf'])) o['anyOf'] = [...o['anyOf'], { type: 'null' }];
      else if (Array.isArray(o['oneOf'])) o['oneOf'] = [...o['oneOf'], { type: 'null' }];
    }
    delete o['nullable'];
    Object.values(o).forEach(walk);
  };
  walk(spec);
  ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, validateSchema: false });
  ajv.addSchema(spec as object, 'spec');
  operations = [];
  const esc = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');
  for (const [template, methods] of Object.entries(spec.paths)) {
    const regex = new RegExp(
      `^${template.replace(/[.]/g, '\\.').replace(/\{(\w+)\}/g, (_m, name: string) => (name === 'path' || name === 'ref' ? '(.+)' : '([^/]+)'))}$`,
    );
    for (const [method, op] of Object.entries(methods)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const params = (op.parameters ?? []).map((p) =>
        p.$ref ? spec.components.parameters[p.$ref.split('/').pop()!]! : p,
      );
      const json = op.requestBody?.content?.['application/json'];
      operations.push({
        method: method.toUpperCase(),
        template,
        regex,
        params,
        ...(json
          ? {
              body: {
                ref: `spec#/paths/${esc(template)}/${method}/requestBody/content/application~1json/schema`,
                required: Boolean(op.requestBody?.required),
              },
            }
          : {}),
      });
    }
  }
  // Literal-heavy templates first, so /git/ref/{ref} is not taken for /git/refs.
  operations.sort(
    (a, b) => b.template.replace(/\{\w+\}/g, '').length - a.template.replace(/\{\w+\}/g, '').length,
  );
  return { operations, ajv };
}

export function checkAgainstSpec(req: RecordedRequest): string | undefined {
  const { operations: ops, ajv: validator } = loadSpec();
  const path = req.url.pathname;
  const op = ops.find((o) => o.method === req.method && o.regex.test(path));
  if (!op) return `${req.method} ${path} is not an endpoint of the GitHub REST API`;
  for (const p of op.params.filter((x) => x.in === 'query')) {
    const value = req.url.searchParams.get(p.name);
    if (value === null) {
      if (p.required) return `${req.method} ${op.template}: query parameter ${p.name} is required`;
      continue;
    }
    const schema = p.schema as { type?: string; enum?: string[] } | undefined;
    if (schema?.enum && !schema.enum.includes(value))
      return `${req.method} ${op.template}: ${p.name}=${value} is not one of ${schema.enum.join(', ')}`;
    if (schema?.type === 'integer' && !/^-?\d+$/.test(value))
      return `${req.method} ${op.template}: ${p.name} must be an integer`;
  }
  const known = new Set(op.params.filter((x) => x.in === 'query').map((x) => x.name));
  for (const name of req.url.searchParams.keys())
    if (!known.has(name)) return `${req.method} ${op.template}: unknown query parameter ${name}`;
  if (op.body) {
    if (req.body === '')
      return op.body.required ? `${req.method} ${op.template}: a JSON body is required` : undefined;
    let body: unknown;
    try {
      body = JSON.parse(req.body);
    } catch {
      return `${req.method} ${op.template}: the body is not JSON`;
    }
    const validate = validator.getSchema(op.body.ref);
    if (validate && !validate(body)) {
      return `${req.method} ${op.template}: ${validator.errorsText(validate.errors, { dataVar: 'body' })}`;
    }
  }
  return undefined;
}
