// Placeholder configuration for the servers that cannot start without one, shared by the
// packaging check and the MCP Bundle check. None of them calls out at start; the URLs point at a
// closed port so that a stray request fails fast instead of reaching a real service.
export const CHECK_ENV = {
  '@org/mcp-github': {
    GITHUB_PERSONAL_ACCESS_TOKEN: 'ghp_packcheckplaceholder000000000000000',
    GITHUB_API_URL: 'http://127.0.0.1:9',
  },
  '@org/mcp-jira': {
    JIRA_BASE_URL: 'http://127.0.0.1:9',
    JIRA_EMAIL: 'pack-check@example.com',
    JIRA_API_TOKEN: 'packcheckplaceholder',
  },
  '@org/mcp-frappe': {
    FRAPPE_URL: 'http://127.0.0.1:9',
    FRAPPE_API_KEY: 'packcheckkey',
    FRAPPE_API_SECRET: 'packchecksecret',
  },
};

/** What to tell a contributor whose new server did not start for want of a required variable. */
export function checkEnvHint(name, stderr) {
  return /Invalid configuration/.test(stderr) && !CHECK_ENV[name]
    ? `\n${name} needs configuration to start: give its required variables placeholder values in CHECK_ENV (tools/scripts/check-env.mjs).`
    : '';
}
