// A private npm registry for the packaging and release checks: verdaccio on 127.0.0.1, where
// @org/* comes only from the local storage and everything else is proxied from the public registry.
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getFreePort } from '../../packages/mcp-core/dist/testing/index.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The registry npm uses on this machine (the one verdaccio proxies). */
export function upstreamRegistry() {
  return (
    spawnSync('npm', ['config', 'get', 'registry'], { encoding: 'utf8' }).stdout.trim() ||
    'https://registry.npmjs.org/'
  );
}

/** Starts verdaccio with its storage under `work`; stop it with `child.kill()`. */
export async function startRegistry(work, upstream = upstreamRegistry()) {
  const port = await getFreePort();
  const config = join(work, 'verdaccio.yaml');
  writeFileSync(
    config,
    [
      `storage: ${join(work, 'storage')}`,
      'auth:',
      '  htpasswd:',
      `    file: ${join(work, 'htpasswd')}`,
      'uplinks:',
      '  upstream:',
      `    url: ${upstream}`,
      '    timeout: 60s',
      'packages:',
      "  '@org/*':", // ours come only from here, never from the public registry
      '    access: $all',
      '    publish: $authenticated',
      "  '**':",
      '    access: $all',
      '    proxy: upstream',
      'log: { type: stdout, format: pretty, level: error }',
      '',
    ].join('\n'),
  );
  const child = spawn(
    join(root, 'node_modules/.bin/verdaccio'),
    ['--config', config, '--listen', `127.0.0.1:${port}`],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${url}/-/ping`)).ok) return { url, port, child };
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error('verdaccio did not start within 30 s');
}

/** Creates a publishing user and returns the path of an .npmrc (under `work`) that uses it. */
export async function registryUser(registry, work) {
  const response = await fetch(`${registry.url}/-/user/org.couchdb.user:ci`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'ci', password: 'pack-check-password' }),
  });
  if (!response.ok)
    throw new Error(`could not create the registry user: ${response.status} ${await response.text()}`);
  const { token } = await response.json();
  const npmrc = join(work, '.npmrc');
  writeFileSync(npmrc, `registry=${registry.url}/\n//127.0.0.1:${registry.port}/:_authToken=${token}\n`);
  return npmrc;
}
