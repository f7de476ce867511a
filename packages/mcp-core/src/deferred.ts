type Method = (...args: never[]) => unknown;
type MethodNames<T> = { [K in keyof T]: T[K] extends Method ? K : never }[keyof T];

/**
 * An object with the named async methods of `T` that wait for `ready` while it is pending and,
 * once it has resolved, call straight through (no extra await on every call). For dependencies
 * opened in the background so that a server answers `initialize` without waiting for them.
 * A rejected `ready` rejects every call made through it.
 */
export function deferred<T extends object, K extends MethodNames<T>>(
  ready: Promise<T>,
  names: readonly K[],
): Pick<T, K> {
  let target: T | undefined;
  ready.then(
    (value) => (target = value),
    () => undefined,
  );
  const out = {} as Record<K, unknown>;
  for (const name of names) {
    out[name] = (...args: unknown[]) => {
      if (target) return (target[name] as (...a: unknown[]) => unknown).apply(target, args);
      return ready.then((t) => (t[name] as (...a: unknown[]) => unknown).apply(t, args));
    };
  }
  return out as Pick<T, K>;
}
