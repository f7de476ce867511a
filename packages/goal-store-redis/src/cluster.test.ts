import { goalStoreContract } from '@org/goal-engine/contract';
import { startRedisCluster, type RedisClusterInstance } from '@org/mcp-core/testing';
import { Cluster } from 'ioredis';
import { RedisGoalStore } from './store.js';

let cluster: RedisClusterInstance;
let client: Cluster;
beforeAll(async () => {
  cluster = await startRedisCluster(3);
  client = new Cluster(cluster.nodes);
});
afterAll(async () => {
  client?.disconnect();
  await cluster?.close();
});

let n = 0;
describe('RedisGoalStore on a real 3-master Redis Cluster passes the store contract', () => {
  for (const c of goalStoreContract(async () => ({
    store: new RedisGoalStore(client, { prefix: `cluster${++n}` }),
  }))) {
    it(c.name, () => c.run());
  }
});
