import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { JSONRPCMessageSchema, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

/** @default 10 MiB, as the SDK's own stdio transport */
export const MAX_LINE_BYTES = 10 * 1024 * 1024;

const NEWLINE = 0x0a;

/** The id of a request, read from the start of a line too large to parse (undefined when not found). */
function peekId(head: string): string | number | undefined {
  const match = /"id"\s*:\s*(-?\d+|"(?:[^"\\]|\\.){0,200}")/.exec(head);
  if (!match?.[1]) return undefined;
  try {
    return JSON.parse(match[1]) as string | number;
  } catch {
    return undefined;
  }
}

/**
 * The stdio transport of every server. Unlike the SDK's, a line over the size limit is skipped
 * (answered with a JSON-RPC error when its id can be read) and the server keeps serving; an
 * answer that cannot be serialized (e.g. nested too deep) becomes an error answer instead of
 * silence; and the end of stdin closes the transport, so a server never outlives its client.
 */
export class LineStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private chunks: Buffer[] = [];
  private size = 0;
  /** While skipping an oversized line: the first bytes of it (for its id). */
  private skipping: string | undefined;
  private closed = false;

  constructor(
    private readonly stdin: NodeJS.ReadableStream = process.stdin,
    private readonly stdout: NodeJS.WritableStream = process.stdout,
    private readonly maxLineBytes = MAX_LINE_BYTES,
  ) {}

  private readonly onData = (chunk: Buffer) => {
    let start = 0;
    while (start < chunk.length) {
      const end = chunk.indexOf(NEWLINE, start);
      const piece = chunk.subarray(start, end === -1 ? chunk.length : end);
      if (this.skipping === undefined && this.size + piece.length > this.maxLineBytes) {
        this.skipping = Buffer.concat([...this.chunks, piece])
          .subarray(0, 4096)
          .toString('utf8');
        this.chunks = [];
        this.size = 0;
      }
      if (this.skipping === undefined) {
        this.chunks.push(piece);
        this.size += piece.length;
      }
      if (end === -1) break;
      start = end + 1;
      if (this.skipping !== undefined) {
        this.rejectOversized(this.skipping);
        this.skipping = undefined;
      } else {
        const line = Buffer.concat(this.chunks).toString('utf8');
        this.chunks = [];
        this.size = 0;
        this.handleLine(line);
      }
    }
  };

  private readonly onEnd = () => void this.close();
  private readonly onError = (error: Error) => this.onerror?.(error);

  private rejectOversized(head: string): void {
    const id = peekId(head);
    this.onerror?.(new Error(`a message over ${this.maxLineBytes} bytes was skipped`));
    if (id === undefined) return;
    void this.send({
      jsonrpc: '2.0',
      id,
      error: { code: -32600, message: `Request too large: over ${this.maxLineBytes} bytes` },
    });
  }

  private handleLine(raw: string): void {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') return;
    let message: JSONRPCMessage;
    try {
      message = JSONRPCMessageSchema.parse(JSON.parse(line));
    } catch (error) {
      this.onerror?.(error as Error);
      return;
    }
    this.onmessage?.(message);
  }

  async start(): Promise<void> {
    this.stdin.on('data', this.onData);
    this.stdin.on('end', this.onEnd);
    this.stdin.on('close', this.onEnd);
    this.stdin.on('error', this.onError);
  }

  send(message: JSONRPCMessage): Promise<void> {
    let json: string;
    try {
      json = JSON.stringify(message);
    } catch {
      if (!('id' in message) || message.id === undefined || !('result' in message)) {
        this.onerror?.(new Error('a message could not be serialized and was dropped'));
        return Promise.resolve();
      }
      const error = 'The answer could not be serialized (nested too deep or too large)';
      const isToolResult = typeof message.result === 'object' && 'content' in message.result;
      json = JSON.stringify(
        isToolResult
          ? {
              jsonrpc: '2.0',
              id: message.id,
              result: {
                content: [
                  { type: 'text', text: JSON.stringify({ error, type: 'internal', retryable: false }) },
                ],
                isError: true,
              },
            }
          : { jsonrpc: '2.0', id: message.id, error: { code: -32603, message: error } },
      );
    }
    return new Promise((resolve) => {
      if (this.stdout.write(`${json}\n`)) resolve();
      else this.stdout.once('drain', resolve);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stdin.off('data', this.onData);
    this.stdin.off('end', this.onEnd);
    this.stdin.off('close', this.onEnd);
    this.stdin.off('error', this.onError);
    this.chunks = [];
    this.onclose?.();
  }
}
