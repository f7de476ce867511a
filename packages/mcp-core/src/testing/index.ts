// Test helpers for servers built on @org/mcp-core. Node-only; not for production code.
export { Client, connectHttp, connectInMemory, connectServer, readToolResult, callTool } from './client.js';
export type { ConnectedClient, ConnectServerOptions, ServerSession, ToolOutcome } from './client.js';
export { spawnStdioServer } from './stdio.js';
export { spawnHttpServer } from './spawn-http.js';
export type { SpawnHttpOptions, SpawnedHttpServer } from './spawn-http.js';
export type { SpawnOptions, SpawnedServer } from './stdio.js';
export { startRedis } from './redis.js';
export { startRedisCluster } from './redis-cluster.js';
export type { RedisClusterInstance } from './redis-cluster.js';
export type { RedisOptions, RedisInstance } from './redis.js';
export { startFakeHttpServer, sendJson } from './http.js';
export type { FakeHttpServer, FakeHandler, RecordedRequest } from './http.js';
export { getFreePort } from './net.js';
export { startBalancer } from './balancer.js';
export type { Balancer } from './balancer.js';
export { makeTempDir, removeTempDirs } from './temp.js';
export { runHostileCalls, hostileCalls, answerProblem, acceptedWrites, seededRandom } from './hostile.js';
export type { HostileCall, HostileReport, HostileRunOptions } from './hostile.js';
