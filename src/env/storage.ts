// localStorage, guarded: disabled (a SecurityError on access), full (a quota error on
// write), absent (Node, some embedded browsers) or corrupt all read as "nothing stored"
// and never throw. Replaceable with `setStorage` for tests and other hosts.

/** The part of the Web Storage API the library uses. */
export type StorageArea = Pick<Storage, 'getItem' | 'setItem' | 'removeItem' | 'key' | 'length'>

let override: StorageArea | null | undefined

function area(): StorageArea | null {
  if (override !== undefined) return override
  try {
    return globalThis.localStorage ?? null
  } catch {
    return null
  }
}

/** The stored string, or `null` when there is none or storage cannot be read. */
export function read(key: string): string | null {
  try {
    return area()?.getItem(key) ?? null
  } catch {
    return null
  }
}

/** Stores a string; `false` when storage is unavailable or full. */
export function write(key: string, value: string): boolean {
  try {
    const storage = area()
    storage?.setItem(key, value)
    return !!storage
  } catch {
    return false
  }
}

/** Removes a key; nothing happens when storage is unavailable. */
export function remove(key: string): void {
  try {
    area()?.removeItem(key)
  } catch {
    // Unavailable storage holds nothing to remove.
  }
}

/** Every stored key that starts with `prefix`. */
export function keys(prefix: string): string[] {
  const found: string[] = []
  try {
    const storage = area()
    for (let i = 0; storage && i < storage.length; i++) {
      const key = storage.key(i)
      if (key?.startsWith(prefix)) found.push(key)
    }
  } catch {
    // What could be listed is returned.
  }
  return found
}

/** Replaces the storage area: `null` for none, `undefined` restores `localStorage`. */
export function setStorage(storage?: StorageArea | null): void {
  override = storage
}
