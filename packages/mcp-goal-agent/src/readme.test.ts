import { readFileSync } from 'node:fs';
import { loadServer, syncReadme } from '@org/mcp-core';
import { server } from './server.js';

it('the README tables match the server definition (regenerate: node tools/scripts/docs.mjs)', async () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  expect(syncReadme(readme, await loadServer(server))).toBe(readme);
});
