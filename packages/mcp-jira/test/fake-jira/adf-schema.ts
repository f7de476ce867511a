// The published ADF JSON schema (@atlaskit/adf-schema json-schema/v1/full.json) as a validator:
// every document the server sends to the fake is checked with it.
import { createRequire } from 'node:module';
import { Ajv } from 'ajv';

const require = createRequire(import.meta.url);
let validate: (((doc: unknown) => boolean) & { errors?: unknown }) | undefined;
let ajv: Ajv | undefined;

/** Why `doc` is not a valid ADF document, or undefined when it is. */
export function adfProblem(doc: unknown): string | undefined {
  if (!validate || !ajv) {
    const schema = {
      ...(require('@atlaskit/adf-schema/json-schema/v1/full.json') as Record<string, unknown>),
    };
    // draft-04 in name only: nothing in it differs from draft-07 for ajv's purposes.
    delete schema['$schema'];
    ajv = new Ajv({ strict: false, allErrors: false, validateFormats: false });
    validate = ajv.compile(schema);
  }
  if (validate(doc)) return undefined;
  return ajv.errorsText(validate.errors as never, { dataVar: 'adf' }).slice(0, 300);
}
