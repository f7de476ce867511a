// Frappe benchmark over stdio with a real MCP client against the local fake Frappe, in one run
// beside a bare SDK server: p50/p99 of frappe_get_list (warm meta cache) and frappe_get_document
// as ratios to the bare server's no-op (interleaved round-robin); spawn → first tools/list
// against the bare server bundled the same way. Run after the bundle:
//   node bench/stdio.mjs          (BENCH_RUNS=300 by default)
// The fake is TypeScript under test/, loaded with importTs.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  bareServer,
  bundledBareServer,
  interleaved,
  firstToolsList,
  printToolsList,
  spawnStdioServer,
  toolCall,
} from '../../mcp-core/bench/measure.mjs';
import { importTs } from '../../mcp-core/bench/import-ts.mjs';

const bin = fileURLToPath(new URL('../dist/bundle/bin.js', import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 300);
const cleanups = [];

try {
  const { startFakeFrappe } = await importTs(
    fileURLToPath(new URL('../test/fake-frappe/index.ts', import.meta.url)),
  );
  const fake = await startFakeFrappe();
  cleanups.unshift(() => fake.close());
  const frappeEnv = {
    PATH: process.env.PATH,
    FRAPPE_URL: fake.url,
    FRAPPE_API_KEY: fake.users.admin.key,
    FRAPPE_API_SECRET: fake.users.admin.secret,
  };
  const env = { PATH: process.env.PATH };
  const bare = await spawnStdioServer({ command: process.execPath, args: [bareServer], env });
  const frappe = await spawnStdioServer({ command: process.execPath, args: [bin], env: frappeEnv });
  cleanups.unshift(
    () => bare.close(),
    () => frappe.close(),
  );
  const noop = toolCall('bare SDK no-op', bare.client, 'noop', {}, bare.child.pid);
  const options = { runs: RUNS, warmup: Math.min(100, RUNS) };
  const runs = [
    await interleaved(
      [
        noop,
        toolCall(
          'frappe_get_list (20 of 32 items)',
          frappe.client,
          'frappe_get_list',
          {
            doctype: 'Item',
            fields: ['name', 'item_name', 'standard_rate'],
            filters: { standard_rate: ['>', 0] },
          },
          frappe.child.pid,
        ),
      ],
      options,
    ),
    await interleaved(
      [
        noop,
        toolCall(
          'frappe_get_document',
          frappe.client,
          'frappe_get_document',
          { doctype: 'Sales Invoice', name: 'SINV-0001' },
          frappe.child.pid,
        ),
      ],
      options,
    ),
  ];
  console.log(`node ${process.version}, ${RUNS} interleaved rounds (fake Frappe on 127.0.0.1)`);
  console.log('call                               p50 ms   p99 ms   p50/bare  p99/bare   server CPU/call');
  for (const rows of runs) {
    for (const r of rows) {
      console.log(
        `${r.label.padEnd(34)} ${r.p50.toFixed(3).padStart(7)} ${r.p99.toFixed(3).padStart(8)} ${(r.p50 / rows[0].p50).toFixed(2).padStart(9)} ${(r.p99 / rows[0].p99).toFixed(2).padStart(9)}   ${r.cpuUs === undefined ? '' : `${r.cpuUs.toFixed(0).padStart(12)} µs`}`,
      );
    }
  }

  const bareBundle = await bundledBareServer();
  cleanups.push(() => rmSync(join(bareBundle, '../..'), { recursive: true, force: true }));
  const targets = [
    { label: 'bare SDK server (bundled)', args: [bareBundle], env },
    { label: 'mcp-frappe bundle (default toolsets)', args: [bin], env: frappeEnv },
    { label: 'mcp-frappe bundle (all toolsets)', args: [bin], env: { ...frappeEnv, MCP_TOOLSETS: 'all' } },
  ];
  printToolsList(await firstToolsList(targets, 15), 15);
} finally {
  for (const c of cleanups) await c();
}
