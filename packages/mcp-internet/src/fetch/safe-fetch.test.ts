import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ToolError } from '@org/mcp-core';
import { NO_ALLOW_LIST, parseAllowList, type Resolver } from './address-guard.js';
import { createSafeFetcher, type SafeFetcher } from './safe-fetch.js';

// Local servers stand in for both the outside world and the internal targets an attacker wants.
interface Local {
  url: string;
  port: number;
  hits: string[];
  headers: Record<string, string | string[] | undefined>[];
  close(): Promise<void>;
}

async function listen(
  host: string,
  handler: (path: string, res: import('node:http').ServerResponse) => void,
  port = 0,
): Promise<Local> {
  const hits: string[] = [];
  const headers: Local['headers'] = [];
  const server: Server = createServer((req, res) => {
    hits.push(req.url ?? '/');
    headers.push(req.headers);
    handler(req.url ?? '/', res);
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}`,
    port: bound,
    hits,
    headers,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const ok =
  (body = 'secret internal data') =>
  (_: string, res: import('node:http').ServerResponse) => {
    res.writeHead(200, { 'content-type': 'text/plain', connection: 'close' });
    res.end(body);
  };

async function refusal(fetcher: SafeFetcher, url: string): Promise<ToolError> {
  const error = await fetcher.fetch(url, { timeoutMs: 5000 }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ToolError);
  return error as ToolError;
}

let internal: Local;
let internal6: Local;
const fetchers: SafeFetcher[] = [];
const make = (...args: Parameters<typeof createSafeFetcher>) => {
  const f = createSafeFetcher(...args);
  fetchers.push(f);
  return f;
};
beforeAll(async () => {
  internal = await listen('127.0.0.1', ok());
  internal6 = await listen('::1', ok());
});
afterAll(async () => {
  await Promise.all(fetchers.map((f) => f.close()));
  await internal.close();
  await internal6.close();
});

describe('refused by default', () => {
  const guarded = () => make({ allow: NO_ALLOW_LIST, userAgent: 'test' });

  it.each([
    ['loopback', (p: number) => `http://127.0.0.1:${p}/`],
    ['loopback, another 127/8 address', (p: number) => `http://127.0.0.2:${p}/`],
    ['loopback as a decimal number', (p: number) => `http://2130706433:${p}/`],
    ['loopback in hex', (p: number) => `http://0x7f000001:${p}/`],
    ['loopback in octal', (p: number) => `http://0177.0.0.1:${p}/`],
    ['loopback, short form', (p: number) => `http://127.1:${p}/`],
    ['the unspecified address', (p: number) => `http://0.0.0.0:${p}/`],
    ['IPv6 loopback', (p: number) => `http://[::1]:${p}/`],
    ['IPv4-mapped IPv6 loopback', (p: number) => `http://[::ffff:127.0.0.1]:${p}/`],
    ['IPv4-mapped, hex form', (p: number) => `http://[::ffff:7f00:1]:${p}/`],
    ['metadata address', () => 'http://169.254.169.254/latest/meta-data/'],
    ['metadata address as a decimal number', () => 'http://2852039166/latest/meta-data/'],
    ['metadata address in hex', () => 'http://0xa9.0xfe.0xa9.0xfe/'],
    ['metadata via NAT64', () => 'http://[64:ff9b::a9fe:a9fe]/'],
    ['private 10/8', () => 'http://10.0.0.1/'],
    ['private 192.168/16', () => 'http://192.168.1.1/'],
    ['carrier-grade NAT', () => 'http://100.64.0.1/'],
    ['unique-local IPv6', () => 'http://[fd00::1]/'],
    ['link-local IPv6', () => 'http://[fe80::1]/'],
    ['multicast', () => 'http://224.0.0.1/'],
    ['reserved benchmark range', () => 'http://198.18.0.1/'],
  ])('%s', async (_, url) => {
    const error = await refusal(guarded(), url(internal.port));
    expect(error.type).toBe('forbidden');
    expect(error.message).toMatch(/Refused to connect/);
    expect(error.hint).toMatch(/INTERNET_FETCH_ALLOW_HOSTS/);
  });

  it('a name that resolves to loopback (localhost) is refused before any byte is sent', async () => {
    const before = internal.hits.length;
    const error = await refusal(guarded(), `http://localhost:${internal.port}/`);
    expect(error.type).toBe('forbidden');
    expect(internal.hits.length).toBe(before);
  });

  it('a redirect from an allowed host to loopback, by name or by literal, is refused at that hop', async () => {
    const outside = await listen('127.0.0.3', (path, res) => {
      const target =
        path === '/to-literal' ? `http://127.0.0.1:${internal.port}/` : `http://localhost:${internal.port}/x`;
      res.writeHead(302, { location: path === '/to-v6' ? `http://[::1]:${internal6.port}/` : target });
      res.end();
    });
    const before = internal.hits.length + internal6.hits.length;
    // Only the "outside" server is opted in, as an operator would opt in one intranet host.
    const fetcher = make({ allow: parseAllowList(['127.0.0.3']).allow, userAgent: 'test' });
    for (const path of ['/to-literal', '/to-name', '/to-v6']) {
      const error = await refusal(fetcher, `${outside.url}${path}`);
      expect(error.type).toBe('forbidden');
    }
    expect(outside.hits).toEqual(['/to-literal', '/to-name', '/to-v6']);
    expect(internal.hits.length + internal6.hits.length).toBe(before);
    await outside.close();
  });

  it('a redirect to a non-http scheme is refused; more than 5 redirects is an error', async () => {
    const server = await listen('127.0.0.1', (path, res) => {
      const n = Number(path.slice(1));
      res.writeHead(302, { location: path === '/file' ? 'file:///etc/passwd' : `/${n + 1}` });
      res.end();
    });
    const fetcher = make({ allow: parseAllowList(['127.0.0.1']).allow, userAgent: 'test' });
    expect((await refusal(fetcher, `${server.url}/file`)).type).toBe('forbidden');
    const loop = await refusal(fetcher, `${server.url}/0`);
    expect(loop.message).toMatch(/Too many redirects/);
    expect(server.hits).toEqual(['/file', '/0', '/1', '/2', '/3', '/4', '/5']);
    await server.close();
  });

  it('DNS rebinding: a name that first resolved to an allowed address and then to a private one is refused on the new connection', async () => {
    // 127.0.0.1 plays the public address (opted in by CIDR); 127.0.0.4 is the internal target.
    const inside = await listen('127.0.0.4', ok('internal'));
    const outside = await listen('127.0.0.1', ok('public page'), inside.port);
    let calls = 0;
    const resolve: Resolver = async () => [{ address: ++calls === 1 ? '127.0.0.1' : '127.0.0.4', family: 4 }];
    const fetcher = make({ allow: parseAllowList(['127.0.0.1/32']).allow, userAgent: 'test', resolve });
    const first = await fetcher.fetch(`http://rebind.example:${inside.port}/`, { timeoutMs: 5000 });
    expect(Buffer.from(await first.read(1000)).toString()).toBe('public page');
    const error = await refusal(fetcher, `http://rebind.example:${inside.port}/`);
    expect(error.type).toBe('forbidden');
    expect(error.message).toMatch(/rebind\.example at 127\.0\.0\.4 \(loopback/);
    expect(calls).toBe(2);
    expect(inside.hits).toEqual([]);
    await Promise.all([inside.close(), outside.close()]);
  });

  it('a name with one public and one private answer is refused whole', async () => {
    const resolve: Resolver = async () => [
      { address: '93.184.215.14', family: 4 },
      { address: '10.0.0.7', family: 4 },
    ];
    const error = await refusal(
      make({ allow: NO_ALLOW_LIST, userAgent: 'test', resolve }),
      'http://mixed.example/',
    );
    expect(error.message).toMatch(/10\.0\.0\.7 \(private/);
  });
});

describe('opted-in hosts', () => {
  it('an allowed host name, IP and CIDR work; other loopback addresses stay refused', async () => {
    for (const entry of ['localhost', '127.0.0.1', '127.0.0.0/8', '::ffff:127.0.0.0/104']) {
      const fetcher = make({ allow: parseAllowList([entry]).allow, userAgent: 'test-agent/1' });
      const url = entry === 'localhost' ? `http://localhost:${internal.port}/page` : `${internal.url}/page`;
      const response = await fetcher.fetch(url, { timeoutMs: 5000 });
      expect(response.status).toBe(200);
      expect(Buffer.from(await response.read(1000)).toString()).toBe('secret internal data');
    }
    expect(internal.headers.at(-1)?.['user-agent']).toBe('test-agent/1');
    const only = make({ allow: parseAllowList(['127.0.0.1']).allow, userAgent: 't' });
    expect((await refusal(only, `http://[::1]:${internal6.port}/`)).type).toBe('forbidden');
  });

  it('*.suffix entries match sub-domains only', () => {
    const { allow, problems } = parseAllowList([
      '*.corp.example',
      'wiki.internal',
      '10.0.0.0/8',
      'bad host',
      '10.0.0.0/99',
    ]);
    expect(problems).toHaveLength(2);
    expect(allow.suffixes).toEqual(['.corp.example']);
    expect(allow.hosts.has('wiki.internal')).toBe(true);
  });

  it('Authorization and Cookie are not sent to another origin after a redirect', async () => {
    const other = await listen('127.0.0.5', ok('other'));
    const first = await listen('127.0.0.1', (path, res) => {
      if (path === '/same') res.writeHead(302, { location: '/end' });
      else if (path === '/cross') res.writeHead(302, { location: `${other.url}/end` });
      else res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
    });
    const fetcher = make({ allow: parseAllowList(['127.0.0.0/8']).allow, userAgent: 't' });
    const headers = { authorization: 'Bearer s3cret', cookie: 'sid=1', 'x-trace': 'keep' };
    await (await fetcher.fetch(`${first.url}/same`, { timeoutMs: 5000, headers })).read(100);
    expect(first.headers[1]).toMatchObject({ authorization: 'Bearer s3cret', cookie: 'sid=1' });
    const crossed = await fetcher.fetch(`${first.url}/cross`, { timeoutMs: 5000, headers });
    expect(crossed.redirects).toEqual([`${other.url}/end`]);
    await crossed.read(100);
    expect(other.headers[0]?.authorization).toBeUndefined();
    expect(other.headers[0]?.cookie).toBeUndefined();
    expect(other.headers[0]?.['x-trace']).toBe('keep');
    await Promise.all([first.close(), other.close()]);
  });
});

describe('bounds', () => {
  let pages: Local;
  beforeAll(async () => {
    pages = await listen('127.0.0.1', (path, res) => {
      if (path === '/big-declared') {
        res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '5000' });
        res.end('x'.repeat(5000));
      } else if (path === '/endless') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        const chunk = Buffer.alloc(16 * 1024, 'y');
        const pump = () => {
          while (res.write(chunk));
          res.once('drain', pump);
        };
        pump();
        res.on('close', () => res.removeAllListeners('drain'));
      } else if (path === '/slow') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('start');
        const timer = setInterval(() => res.write('.'), 100);
        res.on('close', () => clearInterval(timer));
      } else {
        res.writeHead(404);
        res.end();
      }
    });
  });
  afterAll(() => pages.close());
  const fetcher = () => make({ allow: parseAllowList(['127.0.0.1']).allow, userAgent: 't' });

  it('a body larger than the cap, declared or streamed without end, is a clear error', async () => {
    const f = fetcher();
    const declared = await f.fetch(`${pages.url}/big-declared`, { timeoutMs: 5000 });
    await expect(declared.read(1000)).rejects.toThrow(
      /larger than the 1000-byte limit: it declares 5000 bytes/,
    );
    const endless = await f.fetch(`${pages.url}/endless`, { timeoutMs: 10000 });
    await expect(endless.read(1_000_000)).rejects.toThrow(/larger than the 1000000-byte limit/);
  });

  it('a page that trickles past the timeout is a timeout error', async () => {
    const slow = await fetcher().fetch(`${pages.url}/slow`, { timeoutMs: 400 });
    const error = await slow.read(1_000_000).catch((e: unknown) => e);
    expect(error).toMatchObject({ type: 'timeout' });
  });

  it('bad URLs are validation errors', async () => {
    for (const url of [
      'not a url',
      'ftp://example.com/',
      'file:///etc/passwd',
      'http://user:pw@example.com/',
    ]) {
      expect(await refusal(fetcher(), url)).toMatchObject({ type: 'validation' });
    }
  });
});
