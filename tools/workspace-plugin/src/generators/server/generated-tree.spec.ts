import { spawnSync } from 'child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'fs';
import { workspaceRoot } from '@nx/devkit';
import { tmpdir } from 'os';
import * as path from 'path';
import { pnpmCommand } from './pnpm';

// The generator as a new contributor runs it, in a copy of this workspace: afterwards the
// lockfile installs frozen and offline, `nx sync:check` passes and the new server lints,
// typechecks, builds, bundles and passes its tests under CI=true. Then one tool with a required
// variable is added the documented way: only the snapshot and README tests go stale (and
// mcp-setup's catalog test, which lists each server's variables), and they pass again after
// `vitest -u` and tools/scripts/docs.mjs.
//
// Kept small: the copy is the tracked files (a few MB) plus mcp-core's built dist (the new
// package's only dependency, built by the test target's dependsOn), installed from the pnpm store
// with hard links, and Nx runs only the new project's tasks (--excludeTaskDependencies).

const NAME = 'mcp-sample';
let work: string;
let repo: string;
let env: NodeJS.ProcessEnv;
const timings: string[] = [];

function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const started = Date.now();
  const result = spawnSync(command, args, {
    cwd: options.cwd ?? repo,
    env: options.env ?? env,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 600_000,
  });
  timings.push(
    `${((Date.now() - started) / 1000).toFixed(1)} s  ${path.basename(command)} ${args.join(' ')}`,
  );
  return {
    status: result.status,
    output: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ?? ''}`,
  };
}

function must(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const result = run(command, args, options);
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.output}`);
  return result.output;
}

const [pnpm, ...pnpmLead] = pnpmCommand(workspaceRoot);
const nx = (...args: string[]) => must(process.execPath, ['node_modules/nx/dist/bin/nx.js', ...args]);
const nxTargets = (...targets: string[]) =>
  nx('run-many', '-t', ...targets, '-p', `@org/${NAME}`, '--excludeTaskDependencies', '--outputStyle=static');
const pkgDir = () => path.join(repo, 'packages', NAME);

/** Whether mcp-setup's catalog test (catalog.ts against every built server) passes under CI=true. */
const catalogTestPasses = () =>
  run(process.execPath, [path.join(repo, 'node_modules/vitest/vitest.mjs'), 'run', 'src/catalog.test.ts'], {
    cwd: path.join(repo, 'packages/mcp-setup'),
  }).status === 0;

/** Test files of the new package that fail under CI=true (vitest's JSON report). */
function failingTestFiles(): string[] {
  const report = path.join(work, 'vitest.json');
  run(
    process.execPath,
    [path.join(repo, 'node_modules/vitest/vitest.mjs'), 'run', '--reporter=json', `--outputFile=${report}`],
    {
      cwd: pkgDir(),
    },
  );
  const results = JSON.parse(readFileSync(report, 'utf8')) as {
    testResults: { name: string; status: string }[];
  };
  return results.testResults
    .filter((r) => r.status !== 'passed')
    .map((r) => path.relative(pkgDir(), r.name))
    .sort();
}

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'generator-tree-'));
  repo = path.join(work, 'repo');
  mkdirSync(path.join(work, 'tmp'));
  // The inner Nx and vitest are their own runs: nothing of the outer ones' environment, their
  // own cache, task database and temp folder (all removed with `work`).
  env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(NX_|VITEST|npm_)/.test(key)));
  Object.assign(env, {
    CI: 'true',
    NX_DAEMON: 'false',
    NX_NO_CLOUD: 'true',
    NX_CACHE_DIRECTORY: path.join(work, 'nx-cache'),
    NX_WORKSPACE_DATA_DIRECTORY: path.join(work, 'nx-data'),
    TMPDIR: path.join(work, 'tmp'),
  });
  const files = must('git', ['ls-files', '-z', '-co', '--exclude-standard'], { cwd: workspaceRoot })
    .split('\0')
    .filter((file) => file && existsSync(path.join(workspaceRoot, file)));
  for (const file of files) cpSync(path.join(workspaceRoot, file), path.join(repo, file));
  // The packages' builds, without bundles: mcp-core's (the new server's one dependency), and the
  // servers' with the libraries they import (docs.mjs and mcp-setup's catalog read every server's
  // dist/server.js). After the sources, so that tsc -b finds mcp-core's build newer than its inputs.
  for (const dir of readdirSync(path.join(workspaceRoot, 'packages'))) {
    const dist = path.join(workspaceRoot, 'packages', dir, 'dist');
    if (!existsSync(dist)) continue;
    cpSync(dist, path.join(repo, 'packages', dir, 'dist'), {
      recursive: true,
      filter: (from) => !/[/\\]dist[/\\](bundle|mcpb)$/.test(from),
    });
  }
  must(pnpm!, [...pnpmLead, 'install', '--frozen-lockfile', '--offline', '--reporter=append-only']);
});

afterAll(() => {
  console.log(`generator tree test steps:\n  ${timings.join('\n  ')}`);
  if (work) rmSync(work, { recursive: true, force: true });
});

it('leaves a tree whose new server installs, syncs, lints, typechecks, builds, bundles and tests green', () => {
  nx('g', '@org/workspace-plugin:server', NAME, '--description', 'Samples for Claude.');
  expect(readFileSync(path.join(repo, 'pnpm-lock.yaml'), 'utf8')).toContain(`packages/${NAME}:`);
  must(pnpm!, [...pnpmLead, 'install', '--frozen-lockfile', '--offline', '--reporter=append-only']);
  nx('sync:check');
  nxTargets('build');
  nxTargets('bundle');
  nxTargets('lint', 'typecheck', 'test', 'mcpb');
  expect(catalogTestPasses()).toBe(true); // the generator added the new server to mcp-setup's catalog
  // What `mcpb.mjs --check` in npm test does for each server: validate, unpack, start, list tools.
  const check = `import { checkBundle } from './tools/scripts/mcpb.mjs';
    console.log(JSON.stringify(await checkBundle(${JSON.stringify(pkgDir())}, ${JSON.stringify(path.join(work, 'tmp'))})));`;
  const checked = must(process.execPath, ['--input-type=module', '-e', check]);
  const line = checked.split('\n').find((l) => l.startsWith('{"name":'));
  expect(JSON.parse(line ?? '{}')).toMatchObject({ name: `@org/${NAME}`, tools: 1 });
}, 900_000);

it('a new tool with a required variable makes only the snapshot and README tests stale, until regenerated', () => {
  const config = path.join(pkgDir(), 'src/config.ts');
  writeFileSync(
    config,
    readFileSync(config, 'utf8').replace(
      'CoreConfigSchema.extend({})',
      "CoreConfigSchema.extend({\n  SAMPLE_GREETING: z.string().min(1).describe('What the greet tool answers with'),\n})",
    ),
  );
  const toolset = path.join(pkgDir(), 'src/tools/info.ts');
  writeFileSync(
    toolset,
    readFileSync(toolset, 'utf8').replace(
      'export const infoTools = [serverInfo];',
      `export const greet = tool({
  name: 'greet',
  toolset: 'info',
  title: 'Greet',
  description: 'Answers with the configured greeting.',
  input: z.object({}),
  output: z.object({ greeting: z.string() }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  handler(_input, { deps }) {
    return { greeting: deps.config.SAMPLE_GREETING };
  },
});

export const infoTools = [serverInfo, greet];`,
    ),
  );
  nxTargets('build');
  nxTargets('bundle');
  expect(failingTestFiles()).toEqual(['src/readme.test.ts', 'src/tools.snapshot.test.ts']);
  expect(catalogTestPasses()).toBe(false); // the catalog lists each server's variables
  const local = { ...env, CI: undefined }; // CI=true does not write snapshots
  must(
    process.execPath,
    [path.join(repo, 'node_modules/vitest/vitest.mjs'), 'run', 'src/tools.snapshot.test.ts', '--update'],
    {
      cwd: pkgDir(),
      env: local,
    },
  );
  must(process.execPath, ['tools/scripts/docs.mjs']);
  expect(readFileSync(path.join(pkgDir(), 'README.md'), 'utf8')).toContain('`SAMPLE_GREETING`');
  expect(readFileSync(path.join(pkgDir(), 'src/__snapshots__/tools.json'), 'utf8')).toContain(
    '"name": "greet"',
  );
  expect(catalogTestPasses()).toBe(true);
  nxTargets('typecheck', 'test');
}, 900_000);
