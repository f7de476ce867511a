// Shared measuring helpers for the stdio server benchmarks.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnStdioServer } from '../dist/testing/index.js';

export const bareServer = new URL('./bare-server.mjs', import.meta.url).pathname;

/** The bare server bundled exactly as the server bins are (tools/scripts/bundle.mjs), for cold starts. */
export async function bundledBareServer() {
  // A URL, not a literal path: Nx would read a literal as mcp-core depending on the `scripts`
  // project (the demo test), which depends on the servers, which depend on mcp-core.
  const { bundle } = await import(new URL('../../../tools/scripts/bundle.mjs', import.meta.url).href);
  const outdir = join(mkdtempSync(join(tmpdir(), 'bare-bundle-')), 'bundle');
  await bundle(bareServer, outdir);
  return join(outdir, 'bare-server.js');
}

/** Percentile of a sorted copy (nearest rank). */
export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** CPU time a process has used, in µs (Linux schedstat, ns resolution); undefined elsewhere. */
export function cpuMicros(pid) {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1000;
  } catch {
    return undefined;
  }
}

/**
 * A case for `interleaved`: one MCP tool call (args may depend on the round number). With the
 * server's `pid`, the server's CPU time per call is reported too: less noisy than latency.
 */
export function toolCall(label, client, name, args = {}, pid = undefined) {
  return {
    label,
    pid,
    async run(i) {
      const result = await client.callTool({ name, arguments: typeof args === 'function' ? args(i) : args });
      if (result.isError) throw new Error(`${name} failed: ${result.content[0]?.text}`);
    },
  };
}

/**
 * Runs the cases round-robin, one call each per round (`warmup` untimed rounds, then `runs`
 * timed), starting each round at the next case, so that whatever the machine does meanwhile
 * hits every case alike. Returns p50/p99 in ms per case, in the order given.
 */
export async function interleaved(cases, { runs = 300, warmup = 300 } = {}) {
  const samples = cases.map(() => []);
  let cpuStart = [];
  for (let i = 0; i < warmup + runs; i++) {
    if (i === warmup) cpuStart = cases.map((c) => (c.pid ? cpuMicros(c.pid) : undefined));
    for (let j = 0; j < cases.length; j++) {
      const k = (i + j) % cases.length;
      const start = process.hrtime.bigint();
      await cases[k].run(i);
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (i >= warmup) samples[k].push(ms);
    }
  }
  return cases.map((c, k) => {
    const cpuEnd = c.pid ? cpuMicros(c.pid) : undefined;
    const start = cpuStart[k];
    return {
      label: c.label,
      p50: percentile(samples[k], 50),
      p99: percentile(samples[k], 99),
      // All the server process spent per call, including what it does after answering.
      ...(start !== undefined && cpuEnd !== undefined ? { cpuUs: (cpuEnd - start) / runs } : {}),
    };
  });
}

/**
 * Median time from spawn to the answer of `initialize` of each `{ command, args, env }`, over
 * `runs` fresh processes each, spawned in turns (one of each per round) so that drift in the
 * machine's speed hits all alike.
 */
export async function coldStarts(targets, runs = 15) {
  const samples = targets.map(() => []);
  for (let i = 0; i < runs; i++) {
    for (const [k, { command, args, env }] of targets.entries()) {
      const start = process.hrtime.bigint();
      const server = await spawnStdioServer({ command, args, env });
      samples[k].push(Number(process.hrtime.bigint() - start) / 1e6);
      await server.close();
    }
  }
  return samples.map((s) => percentile(s, 50));
}

/**
 * One spawn → first `tools/list` answer, timed where the answer arrives, with stdioDriver's
 * minimal client. (The SDK's Client does more once the answer is in: it validates it with zod and
 * compiles an Ajv validator per tool output schema, a client-side cost that grows with the tool
 * count.) Resolves `{ ms, cpuMs, tools }`.
 */
async function rawToolsList({ args, env }) {
  const start = process.hrtime.bigint();
  const driver = await stdioDriver(args, env);
  try {
    const answer = await driver.call('tools/list', {});
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const cpu = cpuMicros(driver.pid);
    if (!answer.result) throw new Error(`tools/list answered an error: ${JSON.stringify(answer.error)}`);
    return { ms, tools: answer.result.tools.length, ...(cpu !== undefined ? { cpuMs: cpu / 1000 } : {}) };
  } finally {
    await driver.close();
  }
}

/**
 * Spawn → first `tools/list` answer of each `{ label, args, env }` (`args` given to this Node),
 * over `runs` fresh processes each, spawned in turns (one of each per round) so that
 * drift in the machine's speed hits all alike. Returns each target with `p50` (ms to the answer's
 * arrival), `ratio` (to the first target's p50), `cpuMs`/`cpuRatio` (the server's CPU time until
 * it answered, p50, on Linux), `sdkMs`/`sdkRatio` (spawn until the SDK Client's `listTools()`
 * returned, which adds the client's own processing of the answer) and `tools` (how many it listed).
 */
export async function firstToolsList(targets, runs = 15) {
  const samples = targets.map(() => []);
  const cpu = targets.map(() => []);
  const sdk = targets.map(() => []);
  const counts = targets.map(() => 0);
  for (let i = 0; i < runs; i++) {
    for (const [k, t] of targets.entries()) {
      const target = { command: process.execPath, args: t.args, env: t.env };
      const raw = await rawToolsList(target);
      samples[k].push(raw.ms);
      if (raw.cpuMs !== undefined) cpu[k].push(raw.cpuMs);
      counts[k] = raw.tools;
      const start = process.hrtime.bigint();
      const server = await spawnStdioServer(target);
      try {
        await server.client.listTools();
        sdk[k].push(Number(process.hrtime.bigint() - start) / 1e6);
      } finally {
        await server.close();
      }
    }
  }
  const base = percentile(samples[0], 50);
  const cpuBase = cpu[0].length ? percentile(cpu[0], 50) : undefined;
  const sdkBase = percentile(sdk[0], 50);
  return targets.map((t, k) => {
    const p50 = percentile(samples[k], 50);
    const cpuMs = cpu[k].length ? percentile(cpu[k], 50) : undefined;
    const sdkMs = percentile(sdk[k], 50);
    return {
      label: t.label,
      p50,
      ratio: p50 / base,
      // The server's own CPU time up to the answer: what load on the machine disturbs least.
      ...(cpuMs !== undefined && cpuBase ? { cpuMs, cpuRatio: cpuMs / cpuBase } : {}),
      sdkMs,
      sdkRatio: sdkMs / sdkBase,
      tools: counts[k],
    };
  });
}

/** Prints the rows of firstToolsList. */
export function printToolsList(rows, runs = 15) {
  console.log(
    `spawn → first tools/list answer, p50 of ${runs} spawned in turns (ratio to the first row; CPU: the server's own CPU time until it answered; SDK client: until Client.listTools() returned, with its validation of the answer):`,
  );
  const width = Math.max(...rows.map((r) => r.label.length)) + 2;
  for (const r of rows) {
    const cpu =
      r.cpuMs === undefined ? '' : `   CPU ${r.cpuMs.toFixed(1).padStart(6)} ms  ${r.cpuRatio.toFixed(2)}x`;
    console.log(
      `  ${r.label.padEnd(width)} ${r.p50.toFixed(1).padStart(7)} ms  ${r.ratio.toFixed(2)}x${cpu}   SDK client ${r.sdkMs.toFixed(1).padStart(6)} ms  ${r.sdkRatio.toFixed(2)}x  (${r.tools} tools)`,
    );
  }
}

/**
 * A raw JSON-RPC client over a spawned server's stdio (lines in, lines out): `call(method,
 * params)` resolves with the response. What it measures is the server, not an MCP client
 * library's validation. `bin` is the bin's path, or the arguments to give this Node. Initialized
 * before it resolves; a server that exits fails its open calls with the end of its stderr;
 * `close()` ends stdin and waits for exit.
 */
export async function stdioDriver(bin, env, protocolVersion = '2025-06-18') {
  const child = spawn(process.execPath, Array.isArray(bin) ? bin : [bin], {
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const waiting = new Map();
  let buffer = '';
  let stderr = '';
  let id = 0;
  child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr = (stderr + chunk).slice(-4000)));
  const exited = new Promise((resolve) => child.once('close', resolve));
  void exited.then((code) => {
    for (const [, { reject }] of waiting) reject(new Error(`server exited (${code}): ${stderr}`));
    waiting.clear();
  });
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    buffer += chunk;
    let nl;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      const message = JSON.parse(line);
      waiting.get(message.id)?.resolve(message);
      waiting.delete(message.id);
    }
  });
  const driver = {
    pid: child.pid,
    call(method, params) {
      const n = ++id;
      return new Promise((resolve, reject) => {
        waiting.set(n, { resolve, reject });
        child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: n, method, params })}\n`);
      });
    },
    close: () => (child.stdin.end(), exited),
  };
  await driver.call('initialize', {
    protocolVersion,
    capabilities: {},
    clientInfo: { name: 'bench', version: '0' },
  });
  child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
  return driver;
}

export { spawnStdioServer };
