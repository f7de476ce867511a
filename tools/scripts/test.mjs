// `npm test`: installs what is missing, runs lint, typecheck, every test, the build, the MCP
// Bundle check, the packaging check, the release check and the HTTP conformance check, then checks
// that the run left nothing behind (no process it started still runs, nothing it made under the
// temp folder remains) and prints the closing count.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const run = (args, env = process.env) =>
  spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env }).status === 0;

if (!run(['tools/scripts/setup.mjs', '--for-tests'])) process.exit(1);

/** Every process as { pid, args, cwd } (cwd where /proc tells it). */
function processes() {
  const out = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(.*)$/.exec(line))
    .filter(Boolean)
    .map(([, pid, args]) => {
      let cwd = '';
      try {
        cwd = readlinkSync(`/proc/${pid}/cwd`);
      } catch {
        // not Linux, or gone already
      }
      return { pid: Number(pid), args, cwd };
    });
}
const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

// The run gets a temp folder of its own, so what it leaves there is its own and nothing another
// program on the machine does counts, and an empty Nx cache and task database, so every task
// really runs (Nx shares both between clones of a repository) without --skip-nx-cache and the
// advice to drop it that Nx prints after every run with that flag.
const before = new Set(processes().map((p) => p.pid));
const runDir = mkdtempSync(join(tmpdir(), 'org-test-run-'));
const runTmp = join(runDir, 'tmp');
mkdirSync(runTmp);
const env = {
  ...process.env,
  TMPDIR: runTmp,
  TMP: runTmp,
  TEMP: runTmp,
  NX_CACHE_DIRECTORY: join(runDir, 'nx-cache'),
  NX_WORKSPACE_DATA_DIRECTORY: join(runDir, 'nx-data'),
};
const nx = join(root, 'node_modules/nx/dist/bin/nx.js');
let ok =
  run(
    [nx, 'run-many', '-t', 'lint', 'typecheck', 'test', 'build', 'bundle', 'mcpb', '--outputStyle=static'],
    env,
  ) &&
  run(['tools/scripts/mcpb.mjs', '--check'], env) &&
  run(['tools/scripts/pack-check.mjs'], env) &&
  run(['tools/scripts/release-check.mjs'], env) &&
  run(['tools/scripts/conformance.mjs'], env);

// A process is the run's when it is new and runs from, or names, the repository or the run's
// temp folder (redis-server runs in its data folder; servers and verdaccio name their script).
const ours = (p) =>
  !before.has(p.pid) &&
  p.pid !== process.pid &&
  [root, `${runDir}/`].some((dir) => p.args.includes(dir) || `${p.cwd}/`.startsWith(dir));
let left = processes().filter(ours);
for (let i = 0; i < 50 && left.some((p) => alive(p.pid)); i++) {
  // give processes told to stop a moment to exit
  await new Promise((r) => setTimeout(r, 100));
}
left = left.filter((p) => alive(p.pid));
const files = existsSync(runTmp) ? readdirSync(runTmp) : [];
if (left.length > 0 || files.length > 0) {
  ok = false;
  console.error(
    `The run left ${left.length} process(es) running and ${files.length} entr${files.length === 1 ? 'y' : 'ies'} in the temp folder:`,
  );
  for (const p of left) console.error(`  process ${p.pid}: ${p.args}${p.cwd ? ` (in ${p.cwd})` : ''}`);
  for (const f of files.slice(0, 50)) console.error(`  temp folder entry: ${f}`);
  for (const p of left) {
    try {
      process.kill(p.pid, 'SIGKILL'); // ours: leave the machine as it was
    } catch {
      // gone meanwhile
    }
  }
}
rmSync(runDir, { recursive: true, force: true });

if (ok) ok = run(['tools/scripts/test-summary.mjs']);
process.exit(ok ? 0 : 1);
