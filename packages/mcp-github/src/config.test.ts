import { ConfigError, loadConfig } from '@org/mcp-core';
import { ConfigSchema } from './config.js';

const base = { GITHUB_PERSONAL_ACCESS_TOKEN: 'ghp_x' };
const problems = (env: Record<string, string>) => {
  try {
    loadConfig(ConfigSchema, { ...base, ...env });
    return [];
  } catch (error) {
    return (error as ConfigError).problems;
  }
};

describe('GitHub configuration', () => {
  it('refuses an allow list with an empty or malformed entry, naming it', () => {
    expect(problems({ GITHUB_ALLOWED_REPOS: 'justaname,,a/b/c' })).toEqual([
      'GITHUB_ALLOWED_REPOS: every entry must be owner/repo (globs allowed, e.g. my-org/*); not "justaname", "", "a/b/c"',
    ]);
    expect(
      loadConfig(ConfigSchema, { ...base, GITHUB_ALLOWED_REPOS: 'my-org/*, me/notes' }).GITHUB_ALLOWED_REPOS,
    ).toEqual(['my-org/*', 'me/notes']);
  });

  it('accepts only an http(s) API URL', () => {
    expect(problems({ GITHUB_API_URL: 'ftp://example.com/api' })).toEqual([
      'GITHUB_API_URL: must be an http:// or https:// URL',
    ]);
    expect(problems({ GITHUB_API_URL: 'https://ghe.example.com/api/v3' })).toEqual([]);
  });
});
