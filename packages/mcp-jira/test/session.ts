// Connects the Jira server to a fake Jira over MCP, as its bin would build it, with retry waits
// shrunk and no pacing so tests run fast; the log is kept (unscrubbed) for secret checks.
import { createLogger, type Logger } from '@org/mcp-core';
import { connectServer, type ServerSession } from '@org/mcp-core/testing';
import type { Config } from '../src/config.js';
import { createDeps, type Deps } from '../src/deps.js';
import { server } from '../src/server.js';
import type { FakeJira } from './fake-jira/index.js';

export interface JiraSession extends ServerSession<Deps> {
  /** Log lines written so far (at the level asked, `trace` by default). */
  log: string[];
  flush(): Promise<void>;
}

/** The env the server gets for `fake`, plus `env`. */
export function fakeEnv(fake: FakeJira, env: Record<string, string> = {}): Record<string, string> {
  return {
    JIRA_BASE_URL: fake.url,
    JIRA_EMAIL: fake.email,
    JIRA_API_TOKEN: fake.token,
    JIRA_RATE_LIMIT_DELAY: '0',
    MCP_TOOLSETS: 'all',
    ...env,
  };
}

export async function connectJira(
  fake: FakeJira,
  env: Record<string, string> = {},
  level: 'trace' | 'debug' = 'trace',
): Promise<JiraSession> {
  const log: string[] = [];
  // No `secrets` given: the scrubber would hide a leak this test must see.
  const { logger, flush } = await createLogger({ name: 'test', level, writeStderr: (l) => log.push(l) });
  const session = await connectServer(server, fakeEnv(fake, env), {
    logger: logger as Logger,
    createDeps: (config: Config, l: Logger) =>
      createDeps(config, l, { retryBaseMs: 5, maxRetryWaitMs: 5000 }),
  });
  return { ...session, log, flush };
}
