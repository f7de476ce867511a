import { goalStoreContract } from './contract.js';
import { MemoryGoalStore } from './store.js';

describe('MemoryGoalStore passes the store contract', () => {
  for (const c of goalStoreContract(async () => ({ store: new MemoryGoalStore() }))) {
    it(c.name, () => c.run());
  }
});
