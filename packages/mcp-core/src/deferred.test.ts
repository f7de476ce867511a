import { deferred } from './deferred.js';

class Store {
  calls: string[] = [];
  async get(key: string): Promise<string> {
    this.calls.push(key);
    return `value of ${key}`;
  }
  async fail(): Promise<never> {
    throw new Error('backend failed');
  }
}

describe('deferred', () => {
  it('queues calls until ready, then calls straight through, in order', async () => {
    let open!: (s: Store) => void;
    const store = new Store();
    const d = deferred(new Promise<Store>((r) => (open = r)), ['get', 'fail']);
    const early = [d.get('a'), d.get('b')];
    expect(store.calls).toEqual([]);
    open(store);
    expect(await Promise.all(early)).toEqual(['value of a', 'value of b']);
    await Promise.resolve();
    expect(await d.get('c')).toBe('value of c');
    expect(store.calls).toEqual(['a', 'b', 'c']);
    await expect(d.fail()).rejects.toThrow('backend failed');
  });

  it('rejects every call when the target never opens', async () => {
    const d = deferred<Store, 'get'>(Promise.reject(new Error('no backend')), ['get']);
    await expect(d.get('a')).rejects.toThrow('no backend');
    await expect(d.get('b')).rejects.toThrow('no backend');
  });
});
