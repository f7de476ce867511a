export { RedisGoalStore } from './store.js';
export type { RedisGoalStoreOptions } from './store.js';
