import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the fake API received it. */
export interface RecordedRequest {
  method: string;
  /** Path with query string, e.g. `/repos/o/r/issues?page=2`. */
  path: string;
  url: URL;
  headers: IncomingHttpHeaders;
  /** The raw body text ('' when none). */
  body: string;
  /** When the request had been read in full (Date.now()). */
  at: number;
  /** The status the fake answered with, once the answer is sent. */
  status?: number;
}

export type FakeHandler = (request: RecordedRequest, response: ServerResponse) => void | Promise<void>;

/** A local HTTP server on 127.0.0.1 that imitates a vendor API and records what it was sent. */
export interface FakeHttpServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** Writes a JSON response with the given status and extra headers. */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

/**
 * Starts a fake API. The handler sees each request after its body is read; a handler that
 * throws answers 500 with the message, so a broken fake fails the test loudly.
 */
export async function startFakeHttpServer(handler: FakeHandler): Promise<FakeHttpServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '/';
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path,
        url: new URL(path, 'http://127.0.0.1'),
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
      };
      requests.push(recorded);
      res.on('finish', () => {
        recorded.status = res.statusCode;
      });
      Promise.resolve()
        .then(() => handler(recorded, res))
        .catch((error: unknown) => {
          if (!res.headersSent) sendJson(res, 500, { message: `fake server error: ${String(error)}` });
          else res.end();
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
