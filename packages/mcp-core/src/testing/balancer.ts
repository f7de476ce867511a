import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

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
