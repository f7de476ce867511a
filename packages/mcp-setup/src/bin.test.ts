import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { removeTempDirs } from '@org/mcp-core/testing';
import { bin, makeHome, packageDir, runSetup } from '../test/harness.js';

afterAll(() => removeTempDirs());

describe('the published bin', () => {
  it('is one bundle with a shebang, its bundled licences beside it', () => {
    const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
      bin: Record<string, string>;
      files: string[];
      dependencies?: Record<string, string>;
    };
    expect(pkg.bin).toEqual({ 'mcp-setup': './dist/bundle/bin.js' });
    expect(pkg.files).toContain('dist/bundle');
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    const licences = readFileSync(join(packageDir, 'dist/bundle/THIRD_PARTY_LICENSES.txt'), 'utf8');
    for (const name of ['@modelcontextprotocol/sdk@', 'jsonc-parser@', 'cross-spawn@'])
      expect(licences).toContain(name);
  });

  it('prints its version and a usage naming every client and server, and refuses unknown input', async () => {
    const home = makeHome();
    const version = await runSetup(['--version'], { home });
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const help = await runSetup(['--help'], { home });
    for (const word of [
      'claude-desktop',
      'claude-code',
      'cursor',
      'windsurf',
      'vscode',
      'goal-agent',
      'frappe',
      'doctor',
    ])
      expect(help.stdout).toContain(word);
    const unknown = await runSetup(['--client', 'emacs', '--servers', 'all', '--yes'], { home });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe(
      'mcp-setup: --client emacs: not one of claude-desktop, claude-code, cursor, windsurf, vscode, detected, all\n',
    );
    const flag = await runSetup(['--colour'], { home });
    expect(flag.code).toBe(1);
    expect(flag.stderr).toContain("Unknown option '--colour'");
  });
});
