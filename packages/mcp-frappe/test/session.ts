// Connects the Frappe server to a fake Frappe over MCP, as its bin would build it, with retry
// waits and the prepared-report poll shrunk; the log is kept (unscrubbed) for secret checks.
import { createLogger, type Logger } from '@org/mcp-core';
import { connectServer, type ServerSession } from '@org/mcp-core/testing';
import type { Config } from '../src/config.js';
import { createDeps, type Deps } from '../src/deps.js';
import { server } from '../src/server.js';
import type { FakeFrappe, FakeUser } from './fake-frappe/index.js';

export interface FrappeSession extends ServerSession<Deps> {
  /** Log lines written so far (at `trace`). */
  log: string[];
}

/** The env the server gets for `fake` as `user` (admin by default), plus `env`. */
export function fakeEnv(
  fake: FakeFrappe,
  env: Record<string, string> = {},
  user?: FakeUser,
): Record<string, string> {
  const u = user ?? fake.users.admin;
  return {
    FRAPPE_URL: fake.url,
    FRAPPE_API_KEY: u.key,
    FRAPPE_API_SECRET: u.secret,
    MCP_TOOLSETS: 'all',
    ...env,
  };
}

/** A session against `fake`, logging at trace into `log`. */
export async function connectFrappe(
  fake: FakeFrappe,
  env: Record<string, string> = {},
  user?: FakeUser,
): Promise<FrappeSession> {
  const log: string[] = [];
  // No `secrets` given: the scrubber would hide a leak these tests must see.
  const { logger } = await createLogger({ name: 'test', level: 'trace', writeStderr: (l) => log.push(l) });
  const session = await connectServer(server, fakeEnv(fake, env, user), {
    logger: logger as Logger,
    createDeps: (config: Config, l: Logger) =>
      createDeps(config, l, { retryBaseMs: 5, maxRetryWaitMs: 5000, pollMs: 10 }),
  });
  return { ...session, log };
}
