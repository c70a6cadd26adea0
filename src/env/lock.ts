// The Web Locks API (`navigator.locks`: secure contexts and localhost), behind a seam that
// tests replace with `setLocks`. The election of one tab among many is in election.ts.

/** The part of the Web Locks API the library uses. */
export type Locks = Pick<LockManager, 'request'>

let override: Locks | null | undefined

/** Replaces the Web Locks API: `null` forces the heartbeat election, `undefined` restores `navigator.locks`. */
export function setLocks(locks?: Locks | null): void {
  override = locks
}

/** The Web Locks API, or `undefined` where there is none. */
export const webLocks = (): Locks | null | undefined =>
  override !== undefined ? override : typeof navigator === 'undefined' ? undefined : navigator.locks

/** Runs `fn` while holding the Web Lock `name` (at once where there is no Web Locks API). */
export async function exclusive<T>(name: string, fn: () => T): Promise<T> {
  const locks = webLocks()
  return locks ? ((await locks.request(`progress-polling:${name}`, fn as () => Promise<T>)) as T) : fn()
}
