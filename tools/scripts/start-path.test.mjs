// What each bundled server loads before it answers its first tools/list: not Node's fetch
// (undici, ~20 ms of a ~110 ms start; ky read globalThis.Request when imported) and not its tool
// modules (the bundle's tool-schemas.json answers the listing). A preload notes, when the
// tools/list answer is written, which of Node's own modules are loaded and which of the
// bundle's files were read.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
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
function builtinsAtFirstListing(name, env) {
  return new Promise((resolve, reject) => {
    const bin = join(root, `packages/${name}/dist/bundle/bin.js`);
    const child = spawn(
      process.execPath,
      [`--import=data:text/javascript,${encodeURIComponent(preload)}`, bin],
      {
        env: { PATH: process.env.PATH, HOME: home, XDG_DATA_HOME: join(home, 'data'), ...env },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    let out = '';
    const timer = setTimeout(() => child.kill(), 20_000);
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('exit', () => {
      clearTimeout(timer);
      const line = stderr.split('\n').find((l) => l.startsWith('START-PATH '));
      if (line) resolve(JSON.parse(line.slice('START-PATH '.length)));
      else reject(new Error(`${name} gave no tools/list answer: ${stderr.slice(0, 2000)}`));
    });
    const send = (m) => child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', ...m })}\n`);
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      out += chunk;
      for (let nl = out.indexOf('\n'); nl >= 0; nl = out.indexOf('\n')) {
        const message = JSON.parse(out.slice(0, nl));
        out = out.slice(nl + 1);
        if (message.id === 1) {
          send({ method: 'notifications/initialized' });
          send({ id: 2, method: 'tools/list', params: {} });
        } else child.stdin.end();
      }
    });
    send({
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'test', version: '0' } },
    });
  });
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
