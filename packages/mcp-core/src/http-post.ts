// One stateless POST answered with JSON, as the SDK's StreamableHTTPServerTransport does with
// `enableJsonResponse` and no session, but on node's request and response as they are: the SDK
// class converts both to web-standard Request/Response and back (through @hono/node-server) on
// every request, which cost more than the tool call itself.
import type { IncomingMessage } from 'node:http';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { isJsonContentType } from '@modelcontextprotocol/sdk/shared/mediaType.js';
import {
  isInitializeRequest,
  isJSONRPCErrorResponse,
  isJSONRPCRequest,
  isJSONRPCResultResponse,
  JSONRPCMessageSchema,
  SUPPORTED_PROTOCOL_VERSIONS,
  type JSONRPCMessage,
  type RequestId,
} from '@modelcontextprotocol/sdk/types.js';

/** The SDK transport's limit on a batch. */
const MAX_BATCH = 100;

/** What to answer a POST: an HTTP error, 202 (nothing to answer), or the requests to run. */
export type PostCheck =
  | { kind: 'error'; status: number; code: number; message: string }
  | { kind: 'accepted' }
  | { kind: 'requests'; messages: JSONRPCMessage[]; requests: number; batch: boolean };

const fail = (status: number, code: number, message: string): PostCheck => ({
  kind: 'error',
  status,
  code,
  message,
});

/** Checks a POST's Accept and Content-Type as the SDK transport does, before its body is read. */
export function checkPostHeaders(req: IncomingMessage): PostCheck | undefined {
  const accept = req.headers.accept;
  if (!accept?.includes('application/json') || !accept.includes('text/event-stream')) {
    return fail(
      406,
      -32000,
      'Not Acceptable: Client must accept both application/json and text/event-stream',
    );
  }
  if (!isJsonContentType(req.headers['content-type'])) {
    return fail(415, -32000, 'Unsupported Media Type: Content-Type must be application/json');
  }
  return undefined;
}

/**
 * Checks a POST's body the way the SDK transport does (same statuses and messages): batch size,
 * each message's shape, one initialize alone, MCP-Protocol-Version after initialize.
 */
export function checkPost(req: IncomingMessage, body: unknown): PostCheck {
  const batch = Array.isArray(body);
  if (batch && body.length > MAX_BATCH) {
    return fail(400, -32600, `Invalid Request: Batch must not exceed ${MAX_BATCH} messages`);
  }
  let messages: JSONRPCMessage[];
  try {
    messages = (batch ? body : [body]).map((m) => JSONRPCMessageSchema.parse(m));
  } catch {
    return fail(400, -32700, 'Parse error: Invalid JSON-RPC message');
  }
  if (messages.some(isInitializeRequest)) {
    if (messages.length > 1) {
      return fail(400, -32600, 'Invalid Request: Only one initialization request is allowed');
    }
  } else {
    const version = req.headers['mcp-protocol-version'];
    if (typeof version === 'string' && !SUPPORTED_PROTOCOL_VERSIONS.includes(version)) {
      return fail(
        400,
        -32000,
        `Bad Request: Unsupported protocol version: ${version} (supported versions: ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')})`,
      );
    }
  }
  if (!messages.some(isJSONRPCRequest)) return { kind: 'accepted' };
  return { kind: 'requests', messages, requests: messages.filter(isJSONRPCRequest).length, batch };
}

/**
 * A transport for one POST: takes its messages, collects the responses to its requests and
 * hands them over once all are there (or what there is, when closed first). Notifications and requests the server sends meanwhile are
 * dropped, as in the SDK's JSON-response mode (there is no stream to put them on).
 */
export class PostTransport implements Transport {
  onmessage?: Transport['onmessage'];
  onclose?: () => void;
  onerror?: (error: Error) => void;
  private readonly responses = new Map<RequestId, JSONRPCMessage>();
  private readonly ids: RequestId[];
  private closed = false;
  private finished = false;

  constructor(
    private readonly messages: JSONRPCMessage[],
    private readonly headers: IncomingMessage['headers'],
    private readonly done: (responses: JSONRPCMessage[]) => void,
  ) {
    this.ids = messages.filter(isJSONRPCRequest).map((m) => m.id);
  }

  /** Nothing to open: the request is already read. */
  start(): Promise<void> {
    return Promise.resolve();
  }

  /** Hands the POST's messages to the server (after connect). */
  deliver(): void {
    for (const message of this.messages)
      this.onmessage?.(message, { requestInfo: { headers: this.headers } });
  }

  async send(message: JSONRPCMessage): Promise<void> {
    if (this.closed || !(isJSONRPCResultResponse(message) || isJSONRPCErrorResponse(message))) return;
    const id = message.id;
    if (id === undefined || !this.ids.includes(id)) return;
    this.responses.set(id, message);
    if (this.responses.size === this.ids.length) this.finish();
  }

  /** Hands over what is there: every response, or (closed early) fewer. */
  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.done(this.ids.filter((id) => this.responses.has(id)).map((id) => this.responses.get(id)!));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.finish();
    this.onclose?.();
  }
}
