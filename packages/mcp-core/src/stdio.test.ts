import { PassThrough } from 'node:stream';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { LineStdioTransport } from './stdio.js';

function setup(maxLineBytes = 1024) {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const lines: string[] = [];
  let pending = '';
  stdout.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    const parts = pending.split('\n');
    pending = parts.pop() ?? '';
    lines.push(...parts);
  });
  const transport = new LineStdioTransport(stdin, stdout, maxLineBytes);
  const received: JSONRPCMessage[] = [];
  const errors: string[] = [];
  transport.onmessage = (m) => received.push(m);
  transport.onerror = (e) => errors.push(e.message);
  return { stdin, transport, lines, received, errors };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('LineStdioTransport', () => {
  it('reads messages split across chunks and several in one chunk', async () => {
    const { stdin, transport, received } = setup();
    await transport.start();
    stdin.write('{"jsonrpc":"2.0","id":1,"method":"ping"}\n{"jsonrpc":"2.0",');
    stdin.write('"id":2,"method":"ping"}\r\n');
    await tick();
    expect(received).toEqual([
      { jsonrpc: '2.0', id: 1, method: 'ping' },
      { jsonrpc: '2.0', id: 2, method: 'ping' },
    ]);
  });

  it('answers a line over the limit with an error for its id and keeps serving', async () => {
    const { stdin, transport, received, lines } = setup(1024);
    await transport.start();
    const huge = `{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"x":"${'a'.repeat(5000)}"}}\n`;
    stdin.write(huge.slice(0, 700));
    stdin.write(huge.slice(700));
    stdin.write('{"jsonrpc":"2.0","id":8,"method":"ping"}\n');
    await tick();
    expect(JSON.parse(lines[0]!)).toMatchObject({ id: 7, error: { code: -32600 } });
    expect(received).toEqual([{ jsonrpc: '2.0', id: 8, method: 'ping' }]);
  });

  it('turns a tool answer that cannot be serialized into an error envelope', async () => {
    const { transport, lines } = setup();
    await transport.start();
    let deep: unknown = 'x';
    for (let i = 0; i < 20000; i++) deep = [deep];
    await transport.send({
      jsonrpc: '2.0',
      id: 3,
      result: { content: [{ type: 'text', text: 'x' }], structuredContent: { deep } },
    } as JSONRPCMessage);
    await tick();
    const answer = JSON.parse(lines[0]!) as {
      id: number;
      result: { isError: boolean; content: [{ text: string }] };
    };
    expect(answer).toMatchObject({ id: 3, result: { isError: true } });
    expect(JSON.parse(answer.result.content[0].text)).toMatchObject({ type: 'internal', retryable: false });
  });

  it('closes when stdin ends', async () => {
    const { stdin, transport } = setup();
    let closed = false;
    transport.onclose = () => (closed = true);
    await transport.start();
    stdin.end();
    await tick();
    await tick();
    expect(closed).toBe(true);
  });
});
