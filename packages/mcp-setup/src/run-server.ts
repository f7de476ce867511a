import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import spawn from 'cross-spawn';
import type { Launch } from './entries.js';

/**
 * The environment a client gives a server: the few variables every MCP client passes on (PATH,
 * HOME, USER… as the SDK's stdio client chooses them) plus the entry's own. Nothing else from
 * this shell, so a token exported here cannot hide that the configuration lacks it.
 */
export function serverEnv(env: Record<string, string>): Record<string, string> {
  return { ...getDefaultEnvironment(), ...env };
}

export interface CheckOutcome {
  ok: boolean;
  /** The report lines the server printed (it never prints a secret). */
  lines: string[];
}

/** Runs `<server> --check` as the client would start it; never longer than `timeoutMs`. */
export function runCheck(
  launch: Launch,
  env: Record<string, string>,
  timeoutMs = 120_000,
): Promise<CheckOutcome> {
  return new Promise((resolve) => {
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(launch.command, [...launch.args, '--check'], {
        env: serverEnv(env),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (error) {
      resolve({ ok: false, lines: [`FAIL  could not start ${launch.command}: ${String(error)}`] });
      return;
    }
    let out = '';
    let err = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ ok: false, lines: [`FAIL  could not start ${launch.command}: ${error.message}`] });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const lines = out.split('\n').filter((line) => line.trim() !== '');
      if (signal) lines.push(`FAIL  --check did not finish within ${Math.round(timeoutMs / 1000)} s`);
      else if (code !== 0 && !lines.some((l) => l.startsWith('FAIL'))) {
        // Not our runner's report (npx could not install it, node missing…): its stderr says why.
        const reason = err.trim().split('\n').slice(-3).join(' ').trim();
        lines.push(`FAIL  exited with ${code}${reason ? `: ${reason}` : ''}`);
      }
      resolve({ ok: code === 0 && !signal, lines });
    });
  });
}

/** The failure lines of a --check report, flattened: "FRAPPE_URL: required (or FRAPPE_SITE_URL)". */
export function failures(outcome: CheckOutcome): string[] {
  const result: string[] = [];
  let inFail = false;
  for (const line of outcome.lines) {
    if (line.startsWith('FAIL')) {
      inFail = true;
      const text = line.replace(/^FAIL\s+/, '').trim();
      if (text !== 'Invalid configuration:') result.push(text);
    } else if (inFail && /^\s+/.test(line)) {
      result.push(line.trim().replace(/^-\s*/, ''));
    } else inFail = false;
  }
  return result;
}

/** The variable names a failure report blames ("GITHUB_PERSONAL_ACCESS_TOKEN: is required" → that name). */
export function blamedVariables(problems: string[]): string[] {
  return [...new Set(problems.flatMap((p) => /^([A-Z][A-Z0-9_]*):/.exec(p)?.[1] ?? []))];
}

/** Starts a server, asks tools/list over stdio as a client does, and stops it. Returns the tool count. */
export async function listTools(
  launch: Launch,
  env: Record<string, string>,
  timeoutMs = 120_000,
): Promise<number> {
  const transport = new StdioClientTransport({
    command: launch.command,
    args: launch.args,
    env: serverEnv(env),
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const client = new Client({ name: 'mcp-setup-doctor', version: '0.0.0' });
  try {
    await client.connect(transport, { timeout: timeoutMs });
    const { tools } = await client.listTools(undefined, { timeout: timeoutMs });
    return tools.length;
  } catch (error) {
    const reason = stderr.trim().split('\n').slice(-2).join(' ').trim();
    throw new Error(reason || (error instanceof Error ? error.message : String(error)));
  } finally {
    await client.close().catch(() => undefined);
  }
}
