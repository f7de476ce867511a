// The bundled bin converts in its shipped worker (dist/bundle/convert-worker.js), and what a
// library prints from the worker while converting (PDF.js warnings) never reaches stdout, the
// protocol channel.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { callTool, spawnStdioServer } from '@org/mcp-core/testing';
import { bigArticle } from '../test/fake-site/index.js';

const bin = fileURLToPath(new URL('../dist/bundle/bin.js', import.meta.url));
let site: Server;
let base = '';
beforeAll(async () => {
  site = createServer((req, res) => {
    if (req.url === '/broken.pdf') {
      res.writeHead(200, { 'content-type': 'application/pdf' });
      return res.end('%PDF-1.4\n1 0 obj << /Type /Catalog >>\nnot really a PDF\n%%EOF');
    }
    if (req.url === '/huge') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(bigArticle(2 * 1024 * 1024));
    }
    res.writeHead(404);
    return res.end();
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
});
afterAll(async () => {
  site.closeAllConnections();
  await new Promise((resolve) => site.close(resolve));
});

it('the bundled worker converts a huge page as text and a broken PDF as an error, with nothing but protocol on stdout', async () => {
  const server = await spawnStdioServer({
    command: process.execPath,
    args: [bin],
    env: {
      PATH: process.env['PATH'],
      INTERNET_FETCH_ALLOW_HOSTS: '127.0.0.1',
      INTERNET_IGNORE_ROBOTS: 'true',
    },
  });
  const huge = await callTool(server.client, 'web_fetch', { url: `${base}/huge`, max_length: 2000 });
  expect(huge).toMatchObject({
    ok: true,
    data: { format: 'text', title: 'Long read', warning: expect.stringMatching(/The page is large/) },
  });
  const broken = await callTool(server.client, 'web_fetch', { url: `${base}/broken.pdf` });
  expect(broken).toMatchObject({
    ok: false,
    error: { type: 'validation', error: expect.stringMatching(/as pdf/) },
  });
  expect(await server.client.ping()).toEqual({});
  expect(await server.close()).toBe(0);
  expect(server.nonProtocolLines).toEqual([]);
  // PDF.js did print its warning, from the worker: on stderr.
  expect(server.stderr()).toMatch(/Warning: .*PDF/i);
});
