import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getFreePort } from './net.js';
import { startRedis, type RedisInstance } from './redis.js';
import { spawnHttpServer, type SpawnedHttpServer } from './spawn-http.js';

/** A round-robin HTTP balancer in front of several server instances. */
export interface Balancer {
  /** The balancer's base URL (`http://127.0.0.1:<port>`); append the instances' path. */
  url: string;
  /** Requests forwarded to each target, in the order given. */
  counts(): number[];
  close(): Promise<void>;
}

/**
 * Starts a round-robin balancer on 127.0.0.1 in front of `targets` (base URLs). A target that
 * refuses the connection is skipped for that request (nothing reached it, so the next one gets
 * it); a target that fails after the request was sent answers 502, as a real balancer does, and
 * the client decides whether to retry. The Host header is rewritten to the target's.
 */
export async function startBalancer(targets: readonly string[]): Promise<Balancer> {
  const urls = targets.map((t) => new URL(t));
  const counts = urls.map(() => 0);
  let next = 0;

  const forward = (incoming: IncomingMessage, body: Buffer, res: ServerResponse, attempt: number): void => {
    if (attempt >= urls.length) {
      res.writeHead(502, { 'content-type': 'text/plain' }).end('no instance reachable');
      return;
    }
    const index = next++ % urls.length;
    const target = urls[index] as URL;
    const headers = { ...incoming.headers, host: target.host, 'content-length': String(body.length) };
    delete headers['transfer-encoding'];
    let sent = false;
    const out = request(
      { host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers },
      (answer) => {
        counts[index] = (counts[index] ?? 0) + 1;
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.on('error', () => res.destroy());
      },
    );
    // A kept-alive socket is connected already (waiting for 'connect' there piles up listeners).
    out.on('socket', (socket) => {
      if (!socket.connecting) sent = true;
      else socket.once('connect', () => (sent = true));
    });
    out.on('error', (error: NodeJS.ErrnoException) => {
      if (res.headersSent) return void res.destroy();
      if (!sent && error.code === 'ECONNREFUSED') return forward(incoming, body, res, attempt + 1);
      res
        .writeHead(502, { 'content-type': 'text/plain' })
        .end(`instance failed: ${error.code ?? error.message}`);
    });
    out.end(body);
  };

  const server = createServer((incoming, res) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => forward(incoming, Buffer.concat(chunks), res, 0));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts: () => [...counts],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Instances of one bin over HTTP on one Redis, behind a balancer (startInstances). */
export interface BalancedInstances {
  redis: RedisInstance;
  instances: SpawnedHttpServer[];
  balancer: Balancer;
  /** The balancer's MCP endpoint (`…/mcp`). */
  url: string;
  /** Stops the balancer, SIGKILLs the instances still running and stops Redis. */
  close(): Promise<void>;
}

/**
 * Starts a private Redis, `count` instances of the bundled server `bin` over HTTP on it (free
 * ports, `MCP_TOOLSETS=all`, plus `env`) and a round-robin balancer in front of them: the shape
 * of a team deployment, for the tests that check several instances behave as one server.
 */
export async function startInstances(
  bin: string,
  options: { count?: number; env?: Record<string, string> } = {},
): Promise<BalancedInstances> {
  const redis = await startRedis();
  const instances = await Promise.all(
    Array.from({ length: options.count ?? 3 }, async () =>
      spawnHttpServer({
        command: process.execPath,
        args: [bin, '--transport', 'http'],
        env: {
          PATH: process.env['PATH'],
          REDIS_URL: redis.url,
          MCP_TOOLSETS: 'all',
          MCP_HTTP_PORT: String(await getFreePort()),
          ...options.env,
        },
      }),
    ),
  );
  const balancer = await startBalancer(instances.map((i) => new URL(i.url).origin));
  return {
    redis,
    instances,
    balancer,
    url: `${balancer.url}/mcp`,
    async close() {
      await balancer.close();
      await Promise.all(instances.map((i) => i.close('SIGKILL')));
      await redis.close();
    },
  };
}
