// What each bundled server loads before it answers its first tools/list: not Node's fetch
// (undici, ~20 ms of a ~110 ms start; ky read globalThis.Request when imported). A preload
// notes, when the tools/list answer is written to stdout, which of Node's own modules are loaded.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnStdioServer } from '../../packages/mcp-core/dist/testing/index.js';
import { CHECK_ENV } from './check-env.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const home = mkdtempSync(join(tmpdir(), 'start-path-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

const preload = `
const write = process.stdout.write.bind(process.stdout);
let said = false;
process.stdout.write = (chunk, ...rest) => {
  if (!said && String(chunk).includes('"tools":[')) {
    said = true;
    process.stderr.write('START-PATH ' + JSON.stringify(process.moduleLoadList.filter((m) => m.startsWith('NativeModule '))) + '\\n');
  }
  return write(chunk, ...rest);
};
`;

/** Node's modules loaded by the time the bundled server `name` wrote its first tools/list answer. */
async function builtinsAtFirstListing(name, env) {
  const bin = join(root, `packages/${name}/dist/bundle/bin.js`);
  const server = await spawnStdioServer({
    command: process.execPath,
    args: [`--import=data:text/javascript,${encodeURIComponent(preload)}`, bin],
    env: { PATH: process.env.PATH, HOME: home, XDG_DATA_HOME: join(home, 'data'), ...env },
  });
  await server.client.listTools();
  await server.close();
  const line = server
    .stderr()
    .split('\n')
    .find((l) => l.startsWith('START-PATH '));
  if (!line) throw new Error(`${name} wrote no START-PATH line: ${server.stderr().slice(0, 2000)}`);
  return JSON.parse(line.slice('START-PATH '.length));
}

const servers = {
  '@org/mcp-goal-agent': { GOAL_AGENT_DATA_DIR: join(home, 'goals') },
  '@org/mcp-memory-cache': { CACHE_DATA_DIR: join(home, 'cache') },
  '@org/mcp-github': CHECK_ENV['@org/mcp-github'],
  '@org/mcp-jira': CHECK_ENV['@org/mcp-jira'],
  '@org/mcp-internet': {},
  '@org/mcp-frappe': CHECK_ENV['@org/mcp-frappe'],
};

describe('the start path of every bundled server', () => {
  for (const [pkg, env] of Object.entries(servers)) {
    it(`${pkg} answers its first tools/list without loading Node's fetch`, async () => {
      const loaded = await builtinsAtFirstListing(pkg.replace('@org/', ''), env);
      // The preload saw the answer, and Node's modules in it (a list that cannot come back empty).
      expect(loaded).toContain('NativeModule net');
      expect(loaded.filter((m) => m.includes('undici'))).toEqual([]);
    });
  }
});
