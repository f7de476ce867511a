#!/usr/bin/env node
// A small server built on the compiled core, spawned by run.test.ts to test the stdio runner.
import { writeFileSync } from 'node:fs';
import {
  CoreConfigSchema,
  ToolError,
  defineServer,
  defineTool,
  envBoolean,
  runServer,
  secret,
  z,
} from '../dist/index.js';

const ConfigSchema = CoreConfigSchema.extend({
  FIXTURE_TOKEN: secret(z.string().min(8).describe('A token the fixture must never show')),
  FIXTURE_PORT: z.coerce.number().int().min(1).max(65535).default(8080).describe('A port with a default'),
  FIXTURE_FAIL_CHECK: envBoolean(false, 'Make --check fail'),
  FIXTURE_DISPOSED_FILE: z.string().optional().describe('Written when deps are disposed'),
});

const tools = [
  defineTool()({
    name: 'leak_attempt',
    toolset: 'fixture',
    title: 'Leak attempt',
    description: 'Logs the token in every way a careless handler might, then fails unexpectedly.',
    input: z.object({}),
    output: z.object({}),
    annotations: { readOnlyHint: true, openWorldHint: false },
    handler(_input, { deps, logger }) {
      logger.warn(
        { token: deps.token, headers: { authorization: `Bearer ${deps.token}` } },
        'calling upstream',
      );
      logger.warn(`retrying with ${deps.token}`);
      throw new Error(`upstream rejected token ${deps.token}`);
    },
  }),
  defineTool()({
    name: 'write_thing',
    toolset: 'fixture',
    title: 'Write thing',
    description: 'Pretends to write.',
    input: z.object({ value: z.string() }),
    output: z.object({ written: z.string() }),
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    handler({ value }) {
      if (value === 'bad') throw ToolError.validation('value must not be "bad"');
      return { written: value };
    },
  }),
];

await runServer(
  defineServer({
    name: '@org/core-fixture',
    version: '9.9.9',
    description: 'Fixture server for the core runner tests.',
    configSchema: ConfigSchema,
    toolsets: { fixture: { description: 'The fixture tools', default: true } },
    tools,
    createDeps(config, logger) {
      logger.info({ token: config.FIXTURE_TOKEN }, 'deps created');
      return {
        token: config.FIXTURE_TOKEN,
        async check() {
          return [
            {
              name: 'upstream',
              ok: !config.FIXTURE_FAIL_CHECK,
              detail: config.FIXTURE_FAIL_CHECK ? 'unreachable' : 'reachable',
            },
          ];
        },
        dispose() {
          if (config.FIXTURE_DISPOSED_FILE) writeFileSync(config.FIXTURE_DISPOSED_FILE, 'disposed');
        },
      };
    },
  }),
);
