export { ToolError, ConfigError, isToolError, toErrorEnvelope, ERROR_TYPES } from './errors.js';
export type { ErrorEnvelope, ErrorType, ToolErrorOptions } from './errors.js';
export {
  loadConfig,
  describeConfig,
  formatEnvHelp,
  CoreConfigSchema,
  envBoolean,
  envList,
  secret,
  secretNames,
} from './config.js';
export type { CoreConfig, EnvSchema, EnvVarDoc } from './config.js';
export { createLogger, createScrubber } from './logger.js';
export type { Logger, LogMethod, LevelName, LoggerOptions, LoggerHandle } from './logger.js';
export { defineTool, jsonish, parseJsonString, inputJsonSchema, outputJsonSchema } from './tool.js';
export type { ToolDefinition, AnyTool, ToolAnnotations, ToolContext } from './tool.js';
export { createMcpServer, selectTools, errorResult, McpServer, ResourceTemplate } from './server.js';
export type { CreateMcpServerOptions, ToolFilter } from './server.js';
export { paginate, fitToBudget, encodeCursor, decodeCursor, pageInfoShape, pageFields } from './budget.js';
export type { Page, PageOptions } from './budget.js';
export { deferred } from './deferred.js';
export { runStdioServer, toolFilterFromConfig, coreServerOptions, readPackageInfo } from './run.js';
export type { ServerModule, ServerDeps, CheckResult, RunOptions } from './run.js';
export { z } from 'zod';
