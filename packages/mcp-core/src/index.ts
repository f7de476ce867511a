// The public API of @org/mcp-core. Every export is a semver promise: add one on purpose, name it
// (no `export *`), and update index.test.ts, which snapshots this list. Test helpers are in
// `@org/mcp-core/testing`.

// A server: one definition, run by one call.
export { defineServer, defineToolsets, loadServer } from './define.js';
export type {
  ServerDefinition,
  ServerDefinitionInput,
  LoadedServerDefinition,
  ServerDeps,
  CheckResult,
  Toolsets,
  ToolsetInfo,
} from './define.js';
export { runServer, readPackageInfo } from './run.js';
export { readmeTables, syncReadme } from './docs.js';
export type { RunOptions } from './run.js';
export { buildServer, toolSchemas, toolListing, McpServer, ResourceTemplate } from './server.js';
export type { ToolSchemas, ListedTool } from './server.js';

// Tools.
export { defineTool, jsonish } from './tool.js';
export type { ToolDefinition, AnyTool, ToolAnnotations, ToolContext } from './tool.js';
export { paginate, fitToBudget, encodeCursor, decodeCursor, pageInfoShape, pageFields } from './budget.js';

// HTTP: one client and one retry policy for every vendor API.
export { createHttpClient, httpStatus, isNetworkError } from './http/client.js';
export type {
  HttpAuth,
  HttpClient,
  HttpClientOptions,
  HttpRequest,
  HttpResponse,
  VendorError,
} from './http/client.js';
export {
  retryDecision,
  serverWaitMs,
  backoffMs,
  isIdempotentMethod,
  isRetryableStatus,
  DEFAULT_RETRY_POLICY,
  withRetry,
} from './http/retry.js';
export type { RetryPolicy, RetryFailure, RetryHooks } from './http/retry.js';
export { sleep } from './http/sleep.js';
export { createPacer, pacingKey } from './http/pacer.js';
export type { Pacer, PacerOptions, PacerRedis, SharedPacing } from './http/pacer.js';

// Errors.
export { ToolError, ConfigError } from './errors.js';
export type { ErrorEnvelope, ErrorType, ToolErrorOptions } from './errors.js';

// Configuration and logging.
export { loadConfig, describeConfig, CoreConfigSchema, envBoolean, envList, secret } from './config.js';
export type { CoreConfig, EnvSchema, EnvVarDoc } from './config.js';
export {
  redisEnvShape,
  redisSettings,
  redisConfigured,
  redisUnavailable,
  requireRedisFor,
} from './redis-config.js';
export type { RedisEnv, RedisSettings } from './redis-config.js';
export { createLogger } from './logger.js';
export type { Logger, LoggerHandle } from './logger.js';
export { z } from 'zod';
