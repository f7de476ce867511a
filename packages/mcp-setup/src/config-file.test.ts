import { readFileSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, removeTempDirs } from '@org/mcp-core/testing';
import type { ClientFile } from './clients.js';
import { loadFile, SetupError, withEntries, writeFile } from './config-file.js';

afterAll(() => removeTempDirs());

const fileAt = (path: string, at = ['servers']): ClientFile => ({
  client: 'vscode',
  scope: 'user',
  path,
  at,
  typed: true,
});
const entry = { type: 'stdio', command: 'node', args: ['/a/bin.js'] };

function withText(text: string, entries: Record<string, unknown>): string {
  const path = join(makeTempDir('mcp-setup-file-'), 'mcp.json');
  writeFileSync(path, text);
  return withEntries(loadFile(fileAt(path)), entries);
}

describe('config files', () => {
  it('keeps comments, trailing commas and the layout of a JSONC file (VS Code)', () => {
    const text =
      '{\n  // my servers\n  "servers": {\n    "mine": { "command": "x" }, // keep me\n  },\n  "inputs": [],\n}\n';
    const next = withText(text, { 'goal-agent': entry });
    expect(next).toBe(
      '{\n  // my servers\n  "servers": {\n    "mine": { "command": "x" }, // keep me\n    "goal-agent": {\n      "type": "stdio",\n      "command": "node",\n      "args": [\n        "/a/bin.js"\n      ]\n    }\n  },\n  "inputs": [],\n}\n',
    );
  });

  it('replaces an entry in place, adds the servers object when missing, and keeps CRLF line ends', () => {
    const replaced = withText(
      '{\r\n  "servers": {\r\n    "goal-agent": { "command": "npx" },\r\n    "b": {}\r\n  }\r\n}\r\n',
      {
        'goal-agent': { command: 'node' },
      },
    );
    expect(replaced).toBe(
      '{\r\n  "servers": {\r\n    "goal-agent": {\r\n      "command": "node"\r\n    },\r\n    "b": {}\r\n  }\r\n}\r\n',
    );
    const added = withText('{\n  "inputs": []\n}\n', { x: { command: 'node' } });
    expect(JSON.parse(added)).toEqual({ inputs: [], servers: { x: { command: 'node' } } });
    expect(added.startsWith('{\n  "inputs": [],\n  "servers": {\n    "x": {')).toBe(true);
    const empty = withText('{\n  "servers": {}\n}\n', { x: { command: 'node' } });
    expect(empty).toBe('{\n  "servers": {\n    "x": {\n      "command": "node"\n    }\n  }\n}\n');
  });

  it('rewrites a one-line file (as programs write them) as 2-space JSON, keeping every key', () => {
    const next = withText('{"numStartups":3,"servers":{"a":{"command":"y"}}}', { b: { command: 'node' } });
    expect(next).toBe(
      `${JSON.stringify({ numStartups: 3, servers: { a: { command: 'y' }, b: { command: 'node' } } }, null, 2)}\n`,
    );
  });

  it('refuses a file that is not JSON, or whose servers are not an object, naming it', () => {
    const dir = makeTempDir('mcp-setup-file-');
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{\n  "servers": {\n    "a": \n');
    expect(() => loadFile(fileAt(bad))).toThrow(SetupError);
    expect(() => loadFile(fileAt(bad))).toThrow(/bad\.json is not valid JSON \(ValueExpected on line 4\)/);
    writeFileSync(bad, '{ "servers": [] }');
    expect(() => loadFile(fileAt(bad))).toThrow(/"servers" in .*bad\.json is not an object/);
    writeFileSync(bad, '[1]');
    expect(() => loadFile(fileAt(bad))).toThrow(/does not hold a JSON object/);
  });

  it('backs up the previous file, keeps its mode, and makes a new file private', () => {
    const dir = makeTempDir('mcp-setup-file-');
    const path = join(dir, 'sub', 'c.json');
    expect(writeFile(path, 'one\n')).toBeUndefined();
    expect(statSync(path).mode & 0o777).toBe(0o600);
    chmodSync(path, 0o640);
    const now = new Date('2026-12-02T01:02:03.456Z');
    const first = writeFile(path, 'two\n', now)!;
    const second = writeFile(path, 'three\n', now)!;
    expect(first).toBe(`${path}.20261202T010203.bak`);
    expect(second).toBe(`${path}.20261202T010203-1.bak`);
    expect(readFileSync(first, 'utf8')).toBe('one\n');
    expect(readFileSync(second, 'utf8')).toBe('two\n');
    expect(readFileSync(path, 'utf8')).toBe('three\n');
    expect(statSync(path).mode & 0o777).toBe(0o640);
  });
});
