import { ToolError } from '@org/mcp-core';
import robotsModule from 'robots-parser';
import type { SafeFetcher } from './safe-fetch.js';

/** What robots-parser returns (its typings declare the CommonJS export oddly). */
interface Robot {
  isAllowed(url: string, ua?: string): boolean | undefined;
}
const robotsParser = robotsModule as unknown as (url: string, body: string) => Robot;

type Rules = { kind: 'parsed'; robots: Robot } | { kind: 'allow' } | { kind: 'deny'; why: string };

const MAX_ROBOTS_BYTES = 512 * 1024;

/** Options of the robots.txt check. */
export interface RobotsOptions {
  fetcher: SafeFetcher;
  userAgent: string;
  /** How long one origin's rules are kept. */
  ttlMs: number;
  /** @default 10000 */
  timeoutMs?: number;
}

/**
 * robots.txt for model-initiated fetches, as the reference fetch server reads it: a 401/403
 * denies the whole site, any other 4xx allows it, and 5xx or an unreachable file denies it
 * (RFC 9309 §2.3.1.4). Rules are kept per origin for `ttlMs`; robots.txt is fetched through
 * the same guarded fetcher (so it cannot be used to reach private addresses either).
 */
export function createRobotsCheck(options: RobotsOptions) {
  // Groups are matched by the product token, the User-Agent's first word ("MyBot/2.0 (+url)" and
  // "MyBot (+url)" are both "MyBot"); robots-parser itself only cuts at the first "/".
  const token = agentToken(options.userAgent);
  const cache = new Map<string, { rules: Promise<Rules>; expires: number }>();

  async function load(origin: string, signal: AbortSignal | undefined): Promise<Rules> {
    const robotsUrl = `${origin}/robots.txt`;
    try {
      const response = await options.fetcher.fetch(robotsUrl, {
        timeoutMs: options.timeoutMs ?? 10_000,
        accept: 'text/plain,*/*;q=0.5',
        ...(signal ? { signal } : {}),
      });
      if (response.status === 401 || response.status === 403) {
        await response.discard();
        return { kind: 'deny', why: `its robots.txt answered ${response.status}` };
      }
      if (response.status >= 400 && response.status < 500) {
        await response.discard();
        return { kind: 'allow' };
      }
      if (response.status >= 500 || response.status < 200 || response.status >= 300) {
        await response.discard();
        return { kind: 'deny', why: `its robots.txt could not be read (status ${response.status})` };
      }
      // RFC 9309 §2.5: a parsing limit of at least 500 KiB; what lies past it is ignored.
      const body = Buffer.from(await response.read(MAX_ROBOTS_BYTES, { truncate: true })).toString('utf8');
      return { kind: 'parsed', robots: robotsParser(robotsUrl, body) };
    } catch (error) {
      if (signal?.aborted) throw error;
      // A refused address is the page's own problem, reported when the page itself is fetched.
      if (error instanceof ToolError && error.type === 'forbidden') throw error;
      return {
        kind: 'deny',
        why: `its robots.txt could not be read (${error instanceof Error ? error.message : 'error'})`,
      };
    }
  }

  return {
    /** Throws a `forbidden` ToolError when robots.txt disallows `url` for the user agent. */
    async check(url: URL, signal?: AbortSignal): Promise<void> {
      if (url.pathname === '/robots.txt') return;
      const now = Date.now();
      let entry = cache.get(url.origin);
      if (!entry || entry.expires <= now) {
        entry = { rules: load(url.origin, signal), expires: now + options.ttlMs };
        cache.set(url.origin, entry);
        // A failed load (cancelled, refused) is not kept.
        entry.rules.catch(() => cache.delete(url.origin));
      }
      const rules = await entry.rules;
      const hint =
        'Tell the user the site does not allow automated fetching of this page; they can open it themselves. The operator can set INTERNET_IGNORE_ROBOTS=true.';
      if (rules.kind === 'deny') {
        throw new ToolError(
          'forbidden',
          `Not fetched: ${url.origin} disallows automated access (${rules.why})`,
          {
            hint,
          },
        );
      }
      if (rules.kind === 'parsed' && rules.robots.isAllowed(url.href, token) === false) {
        throw new ToolError(
          'forbidden',
          `Not fetched: ${url.origin}/robots.txt disallows ${url.pathname} for this user agent`,
          {
            hint,
          },
        );
      }
    },
  };
}

/** The robots.txt check (see createRobotsCheck). */
export type RobotsCheck = ReturnType<typeof createRobotsCheck>;

/** The product token of a User-Agent: its first word, without a version. */
export function agentToken(userAgent: string): string {
  return userAgent.trim().split(/[\s/]/, 1)[0] || '*';
}
