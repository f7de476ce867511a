import { spawn, type ChildProcess } from 'node:child_process';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { JSONRPCMessageSchema, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

export interface SpawnOptions {
  command: string;
  args?: readonly string[];
  /** The child's whole environment. @default process.env */
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** How long `initialize` may take (an `npx` install can be slow). @default 60000 */
  timeoutMs?: number;
}

/**
 * A transport over a child's stdin/stdout that also records every stdout line that is not a
 * JSON-RPC message, so a test can prove stdout carries nothing but protocol.
 */
class RecordingStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  readonly nonProtocolLines: string[] = [];
  private buffer = '';

  constructor(private readonly child: ChildProcess) {}

  async start(): Promise<void> {
    this.child.stdout?.setEncoding('utf8');
    this.child.stdout?.on('data', (chunk: string) => {
      this.buffer += chunk;
      let newline: number;
      while ((newline = this.buffer.indexOf('\n')) >= 0) {
        const line = this.buffer.slice(0, newline).replace(/\r$/, '');
        this.buffer = this.buffer.slice(newline + 1);
        this.handleLine(line);
      }
    });
    this.child.on('close', () => {
      if (this.buffer.length > 0) this.handleLine(this.buffer);
      this.buffer = '';
      this.onclose?.();
    });
    this.child.on('error', (error) => this.onerror?.(error));
    // Writing to a killed child fails with EPIPE on the stream too: without a listener that
    // would be an uncaught exception in the test process (the write's callback already rejects).
    this.child.stdin?.on('error', (error) => this.onerror?.(error));
  }

  private handleLine(line: string): void {
    let message: JSONRPCMessage;
    try {
      message = JSONRPCMessageSchema.parse(JSON.parse(line));
    } catch {
      this.nonProtocolLines.push(line);
      return;
    }
    this.onmessage?.(message);
  }

  async send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.child.stdin;
    if (!stdin || stdin.destroyed) throw new Error('the server process has no open stdin');
    await new Promise<void>((resolve, reject) =>
      stdin.write(`${JSON.stringify(message)}\n`, (error) => (error ? reject(error) : resolve())),
    );
  }

  async close(): Promise<void> {
    this.child.stdin?.end();
  }
}

/** A server process spoken to over stdio by a real MCP client. */
export interface SpawnedServer {
  client: Client;
  child: ChildProcess;
  /** Every stdout line that was not a JSON-RPC message. */
  nonProtocolLines: string[];
  /** Everything the process wrote to stderr so far. */
  stderr(): string;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
  /** Ends stdin, waits up to `timeoutMs` for a clean exit, then kills. Resolves with the exit code. */
  close(timeoutMs?: number): Promise<number | null>;
}

/** Spawns a server binary and connects a real MCP client to it (initialize included). */
export async function spawnStdioServer(options: SpawnOptions): Promise<SpawnedServer> {
  const child = spawn(options.command, [...(options.args ?? [])], {
    env: (options.env ?? process.env) as NodeJS.ProcessEnv,
    cwd: options.cwd,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const transport = new RecordingStdioTransport(child);
  const client = new Client({ name: 'stdio-test-client', version: '0.0.0' });
  try {
    await client.connect(transport, { timeout: options.timeoutMs ?? 60000 });
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`could not initialize ${options.command}: ${String(error)}\nstderr:\n${stderr}`);
  }
  return {
    client,
    child,
    nonProtocolLines: transport.nonProtocolLines,
    stderr: () => stderr,
    exited,
    async close(timeoutMs = 5000) {
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
