// Checks a request against Jira's published OpenAPI descriptions (platform v3 and Agile, in
// shared/reference/vendor-apis): the route and method must exist, path and query parameters must
// fit their schemas, and a JSON body must validate against the operation's request body schema.
// A request the real API would reject comes back as a message; a clean one as undefined.
import { appendFileSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RecordedRequest } from '@org/mcp-core/testing';
import { Ajv, type ValidateFunction } from 'ajv';

interface Param {
  name: string;
  in: string;
  required?: boolean;
  schema?: Record<string, unknown>;
}
interface Operation {
  file: string;
  method: string;
  template: string;
  regex: RegExp;
  pathNames: string[];
  params: Param[];
  body?: { validate: ValidateFunction | undefined; required: boolean; json: boolean; types: string[] };
}

/**
 * Where the descriptions live: JIRA_OPENAPI_DIR (the full published files, e.g. to regenerate
 * the subset with make-subset.mjs), else the committed subset beside this file: every operation
 * on a path the fake serves, with the schemas they reference, cut from Atlassian's published
 * descriptions, so the tests run the same on any machine.
 */
function specDir(): { dir: string; suffix: string } {
  const fromEnv = process.env['JIRA_OPENAPI_DIR'];
  if (fromEnv) return { dir: fromEnv, suffix: '.openapi.json' };
  return { dir: fileURLToPath(new URL('./openapi', import.meta.url)), suffix: '.subset.json' };
}

const FILES = ['jira-platform-v3', 'jira-software-agile'];
let cache: { operations: Operation[]; ajv: Ajv } | undefined;
const paramValidators = new Map<string, ValidateFunction>();

/** OpenAPI 3.0 `nullable` as JSON Schema: a null type beside the declared one. */
function fixNullable(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(fixNullable);
  if (!node || typeof node !== 'object') return;
  const o = node as Record<string, unknown>;
  if (o['nullable'] === true) {
    if (typeof o['type'] === 'string') o['type'] = [o['type'], 'null'];
    else if (Array.isArray(o['anyOf'])) o['anyOf'] = [...o['anyOf'], { type: 'null' }];
    else if (Array.isArray(o['oneOf'])) o['oneOf'] = [...o['oneOf'], { type: 'null' }];
  }
  delete o['nullable'];
  Object.values(o).forEach(fixNullable);
}

function load(): { operations: Operation[]; ajv: Ajv } {
  if (cache) return cache;
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, validateSchema: false });
  const operations: Operation[] = [];
  FILES.forEach((file, index) => {
    const { dir, suffix } = specDir();
    const spec = JSON.parse(readFileSync(`${dir}/${file}${suffix}`, 'utf8')) as {
      paths: Record<
        string,
        Record<
          string,
          { parameters?: Param[]; requestBody?: { required?: boolean; content?: Record<string, unknown> } }
        >
      >;
    };
    fixNullable(spec);
    const id = `spec${index}`;
    ajv.addSchema(spec as object, id);
    const esc = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');
    for (const [template, methods] of Object.entries(spec.paths)) {
      const pathNames: string[] = [];
      const regex = new RegExp(
        `^${template.replace(/[.]/g, '\\.').replace(/\{(\w+)\}/g, (_m, name: string) => {
          pathNames.push(name);
          return '([^/]+)';
        })}$`,
      );
      for (const [method, op] of Object.entries(methods)) {
        if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
        const content = op.requestBody?.content ?? {};
        const types = Object.keys(content);
        const json = 'application/json' in content;
        const ref = `${id}#/paths/${esc(template)}/${method}/requestBody/content/application~1json/schema`;
        operations.push({
          file,
          method: method.toUpperCase(),
          template,
          regex,
          pathNames,
          params: op.parameters ?? [],
          ...(op.requestBody
            ? {
                body: {
                  validate: json ? ajv.getSchema(ref) : undefined,
                  required: Boolean(op.requestBody.required),
                  json,
                  types,
                },
              }
            : {}),
        });
      }
    }
  });
  // Literal-heavy templates first, so /issue/bulk is not taken for /issue/{issueIdOrKey}.
  operations.sort(
    (a, b) => b.template.replace(/\{\w+\}/g, '').length - a.template.replace(/\{\w+\}/g, '').length,
  );
  cache = { operations, ajv };
  return cache;
}

/** A query or path value in the type its schema declares, or an error message. */
function coerce(
  value: string,
  schema: Record<string, unknown> | undefined,
): { value: unknown } | { error: string } {
  const type = schema?.['type'];
  if (type === 'integer' || type === 'number') {
    return /^-?\d+(\.\d+)?$/.test(value) && (type === 'number' || /^-?\d+$/.test(value))
      ? { value: Number(value) }
      : { error: `must be an ${String(type)}` };
  }
  if (type === 'boolean')
    return value === 'true' || value === 'false'
      ? { value: value === 'true' }
      : { error: 'must be true or false' };
  if (type === 'array') {
    const items = (schema?.['items'] ?? {}) as Record<string, unknown>;
    const out: unknown[] = [];
    for (const part of value.split(',')) {
      const one = coerce(part, items);
      if ('error' in one) return one;
      out.push(one.value);
    }
    return { value: out };
  }
  if (type === 'object') return { value: undefined };
  return { value };
}

/** The operation a request matches, with its path parameters, or undefined. */
export function matchOperation(
  method: string,
  path: string,
): { op: Operation; params: Record<string, string> } | undefined {
  for (const op of load().operations) {
    if (op.method !== method) continue;
    const m = op.regex.exec(path);
    if (!m) continue;
    const params: Record<string, string> = {};
    op.pathNames.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1]!)));
    // JIRA_OPENAPI_RECORD=<file>: note each path served, for make-subset.mjs.
    const record = process.env['JIRA_OPENAPI_RECORD'];
    if (record) appendFileSync(record, `${op.file}\t${op.template}\n`);
    return { op, params };
  }
  return undefined;
}

/** Why the real API would reject this request, or undefined when it fits the description. */
export function checkRequest(req: RecordedRequest): string | undefined {
  const { ajv } = load();
  const path = req.url.pathname;
  const found = matchOperation(req.method, path);
  if (!found) {
    const any = load().operations.some((o) => o.regex.test(path));
    return any
      ? `${req.method} ${path}: method not allowed by the Jira API description`
      : `${req.method} ${path} is not an endpoint of the Jira REST API`;
  }
  const { op, params } = found;
  const where = `${req.method} ${op.template}`;
  const check = (p: Param, raw: string): string | undefined => {
    const c = coerce(raw, p.schema);
    if ('error' in c) return `${where}: ${p.in} parameter ${p.name} ${c.error}`;
    if (c.value === undefined || !p.schema) return undefined;
    const schema = { ...p.schema };
    delete schema['default'];
    const key = JSON.stringify(schema);
    let validate = paramValidators.get(key);
    if (!validate) paramValidators.set(key, (validate = ajv.compile(schema)));
    if (!validate(c.value))
      return `${where}: ${p.in} parameter ${p.name}=${raw}: ${ajv.errorsText(validate.errors)}`;
    return undefined;
  };
  for (const p of op.params.filter((x) => x.in === 'path')) {
    const problem = check(p, params[p.name] ?? '');
    if (problem) return problem;
  }
  const query = op.params.filter((x) => x.in === 'query');
  for (const p of query) {
    const values = req.url.searchParams.getAll(p.name);
    if (values.length === 0) {
      if (p.required) return `${where}: query parameter ${p.name} is required`;
      continue;
    }
    for (const v of values) {
      const problem = check(p, v);
      if (problem) return problem;
    }
  }
  const known = new Set(query.map((x) => x.name));
  for (const name of req.url.searchParams.keys())
    if (!known.has(name)) return `${where}: unknown query parameter ${name}`;
  if (!op.body) return req.body === '' ? undefined : `${where}: takes no request body`;
  if (req.body === '') return op.body.required ? `${where}: a request body is required` : undefined;
  const type = String(req.headers['content-type'] ?? '')
    .split(';')[0]!
    .trim();
  if (!op.body.types.includes(type) && !op.body.types.includes('*/*')) {
    return `${where}: content type ${type || '(none)'} is not one of ${op.body.types.join(', ')}`;
  }
  if (type !== 'application/json') return undefined;
  let body: unknown;
  try {
    body = JSON.parse(req.body);
  } catch {
    return `${where}: the body is not JSON`;
  }
  // The description of PUT …/assignee documents `"accountId": null` (unassign), which its schema omits.
  if (
    op.template === '/rest/api/3/issue/{issueIdOrKey}/assignee' &&
    (body as { accountId?: unknown })?.accountId === null
  )
    body = {};
  const validate = op.body.validate;
  if (validate && !validate(body)) return `${where}: ${ajv.errorsText(validate.errors, { dataVar: 'body' })}`;
  return undefined;
}
