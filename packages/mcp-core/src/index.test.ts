import * as api from './index.js';
import * as testing from './testing/index.js';

// The export lists are the public API: a change here is a semver decision, made in review.
describe('public API', () => {
  it('@org/mcp-core exports exactly these values', () => {
    expect(Object.keys(api).sort()).toMatchInlineSnapshot(`
      [
        "ConfigError",
        "CoreConfigSchema",
        "DEFAULT_RETRY_POLICY",
        "McpServer",
        "ResourceTemplate",
        "ToolError",
        "backoffMs",
        "buildServer",
        "createHttpClient",
        "createLogger",
        "createPacer",
        "decodeCursor",
        "defineServer",
        "defineTool",
        "defineToolsets",
        "describeConfig",
        "encodeCursor",
        "envBoolean",
        "envList",
        "fitToBudget",
        "httpStatus",
        "isIdempotentMethod",
        "isNetworkError",
        "isRetryableStatus",
        "jsonish",
        "loadConfig",
        "loadServer",
        "pacingKey",
        "pageFields",
        "pageInfoShape",
        "paginate",
        "readPackageInfo",
        "readmeTables",
        "redisConfigured",
        "redisEnvShape",
        "redisSettings",
        "redisUnavailable",
        "requireRedisFor",
        "retryDecision",
        "runServer",
        "secret",
        "serverWaitMs",
        "sleep",
        "syncReadme",
        "toolListing",
        "toolSchemas",
        "withRetry",
        "z",
      ]
    `);
  });

  it('@org/mcp-core/testing exports exactly these values', () => {
    expect(Object.keys(testing).sort()).toMatchInlineSnapshot(`
      [
        "Client",
        "acceptedWrites",
        "answerProblem",
        "callTool",
        "connectHttp",
        "connectInMemory",
        "connectServer",
        "getFreePort",
        "hostileCalls",
        "makeTempDir",
        "readToolResult",
        "removeTempDirs",
        "runHostileCalls",
        "seededRandom",
        "sendJson",
        "spawnHttpServer",
        "spawnStdioServer",
        "startBalancer",
        "startFakeHttpServer",
        "startRedis",
        "startRedisCluster",
      ]
    `);
  });
});
