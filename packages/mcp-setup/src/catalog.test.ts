import { readFileSync } from 'node:fs';
import { buildCatalog } from '../scripts/catalog.mjs';
import { catalog } from './catalog.js';

describe('the catalog', () => {
  it('matches the built server definitions (run pnpm nx run @org/mcp-setup:catalog when this fails)', async () => {
    expect(catalog).toEqual(await buildCatalog());
  });

  it('lists every type:server package with its bin, and what each one needs', () => {
    // Containing, not equal: a server made with the generator joins the catalog.
    expect(catalog.servers.map((s) => s.package)).toEqual(
      expect.arrayContaining([
        '@org/mcp-frappe',
        '@org/mcp-github',
        '@org/mcp-goal-agent',
        '@org/mcp-internet',
        '@org/mcp-jira',
        '@org/mcp-memory-cache',
      ]),
    );
    for (const server of catalog.servers) {
      const pkg = JSON.parse(
        readFileSync(new URL(`../../${server.dir}/package.json`, import.meta.url), 'utf8'),
      ) as {
        bin: Record<string, string>;
      };
      expect(pkg.bin).toEqual({ [server.bin]: `./${server.binPath}` });
    }
    const needs = (id: string) =>
      catalog.servers
        .find((s) => s.id === id)!
        .env.filter((v) => v.required)
        .map((v) => `${v.name}${v.secret ? '*' : ''}`);
    expect(needs('github')).toEqual(['GITHUB_PERSONAL_ACCESS_TOKEN*']);
    expect(needs('jira')).toEqual(['JIRA_BASE_URL', 'JIRA_EMAIL', 'JIRA_API_TOKEN*']);
    expect(needs('goal-agent')).toEqual([]);
    expect(needs('memory-cache')).toEqual([]);
    expect(catalog.shared.map((v) => v.name)).toContain('MCP_READ_ONLY');
  });
});
