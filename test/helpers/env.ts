// A fake environment, injected through env/'s seams: no spying on the platform's getters.
import { onTestFinished } from 'vitest'
import { type Channel, setChannels } from '../../src/env/channel'
import { type Locks, setLocks } from '../../src/env/lock'
import { type Presence, setPresence } from '../../src/env/presence'
import { type StorageArea, setStorage } from '../../src/env/storage'

/** A page whose visibility and connection the test sets. Each fake is undone when its test finishes. */
export function fakePresence(initial: { visible?: boolean; online?: boolean } = {}) {
  const state = { visible: initial.visible ?? true, online: initial.online ?? true }
  const listeners = new Set<() => void>()
  const change = (patch: Partial<typeof state>) => {
    Object.assign(state, patch)
    for (const listener of [...listeners]) listener()
  }
  const presence: Presence = {
    visible: () => state.visible,
    online: () => state.online,
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
  setPresence(presence)
  onTestFinished(() => setPresence())
  return {
    hide: () => change({ visible: false }),
    show: () => change({ visible: true }),
    offline: () => change({ online: false }),
    online: () => change({ online: true }),
    set: change,
    /** Subscribers right now. */
    listeners: () => listeners.size,
  }
}

/**
 * Channels that reach each other within the test, like the tabs of one browser: a message
 * posted on one is delivered (asynchronously, as BroadcastChannel does) to every other
 * open channel of the same name. `cut()` stops delivery, as a frozen tab would.
 */
export function fakeChannels() {
  const open = new Map<string, Set<(message: unknown) => void>>()
  let delivering = true
  const frozen = new Set<string>()
  const net = {
    /** The tab the channels opened from now on belong to. */
    tab: '',
    /** Every message posted, with its channel and tab. */
    posted: [] as { name: string; tab: string; message: unknown }[],
    cut: () => {
      delivering = false
    },
    /** The tab's channels post nothing more, as a frozen tab's would. */
    freeze: (tab: string) => frozen.add(tab),
    open: (name: string) => open.get(name)?.size ?? 0,
  }
  setChannels((name) => {
    const tab = net.tab
    const listeners = new Set<(message: unknown) => void>()
    const peers = open.get(name) ?? new Set()
    open.set(name, peers)
    const receive = (message: unknown) => {
      for (const listener of [...listeners]) listener(structuredClone(message))
    }
    peers.add(receive)
    const channel: Channel = {
      post(message) {
        if (!delivering || frozen.has(tab)) return
        net.posted.push({ name, tab, message })
        for (const peer of peers) if (peer !== receive) queueMicrotask(() => peer(message))
      },
      subscribe(listener) {
        listeners.add(listener)
        return () => listeners.delete(listener)
      },
      close() {
        peers.delete(receive)
      },
    }
    return channel
  })
  onTestFinished(() => setChannels())
  return net
}

/**
 * The Web Locks API in memory, shared by the "tabs" of a test: one holder per name, the
 * others granted in the order they asked; `signal` withdraws a request, `steal` takes the
 * lock from its holder (whose request then rejects, as in a browser).
 */
export function fakeLocks({ grantAfter }: { grantAfter?: number } = {}) {
  type Request = { grant: () => void; reject: (error: unknown) => void }
  const holders = new Map<string, Request & { release: () => void }>()
  const queues = new Map<string, Request[]>()
  const abort = () => new DOMException('The request was aborted.', 'AbortError')
  const next = (name: string) => {
    if (!holders.has(name)) queues.get(name)?.shift()?.grant()
  }
  const locks: Locks = {
    request: ((
      name: string,
      ...args: [LockOptions, (lock: Lock | null) => unknown] | [(lock: Lock | null) => unknown]
    ) =>
      new Promise((resolve, reject) => {
        const [options, callback] = args.length === 1 ? [{} as LockOptions, args[0]] : args
        const request: Request = {
          grant() {
            let released = false
            const release = () => {
              if (released) return
              released = true
              if (holders.get(name)?.release === release) holders.delete(name)
              next(name)
            }
            holders.set(name, { ...request, release })
            Promise.resolve(callback({ name, mode: 'exclusive' } as Lock)).then(
              (value) => {
                release()
                resolve(value)
              },
              (error) => {
                release()
                reject(error)
              },
            )
          },
          reject,
        }
        if (options.signal?.aborted) return reject(abort())
        if (options.steal) {
          const holder = holders.get(name)
          holders.delete(name)
          holder?.reject(abort())
          return request.grant()
        }
        const queue = queues.get(name) ?? []
        queues.set(name, queue)
        queue.push(request)
        options.signal?.addEventListener('abort', () => {
          if (queue.includes(request)) {
            queue.splice(queue.indexOf(request), 1)
            reject(abort())
          }
        })
        // A browser grants a lock through another process: `grantAfter` ms, or a microtask.
        if (grantAfter === undefined) queueMicrotask(() => next(name))
        else setTimeout(() => next(name), grantAfter)
      })) as never,
  }
  setLocks(locks)
  onTestFinished(() => setLocks())
  return {
    /** The names held now. */
    held: () => [...holders.keys()],
  }
}

/** A storage area in memory that can be made to refuse writes (full) or every access (disabled). */
export function fakeStorage() {
  const data = new Map<string, string>()
  /** `limit`: the most keys it holds (a quota); `full`: refuses every write. */
  const mode = { full: false, disabled: false, limit: Infinity }
  const guard = () => {
    if (mode.disabled) throw new DOMException('The operation is insecure.', 'SecurityError')
  }
  const area: StorageArea = {
    getItem(key) {
      guard()
      return data.get(key) ?? null
    },
    setItem(key, value) {
      guard()
      if (mode.full || (!data.has(key) && data.size >= mode.limit)) {
        throw new DOMException('Quota exceeded', 'QuotaExceededError')
      }
      data.set(key, String(value))
    },
    removeItem(key) {
      guard()
      data.delete(key)
    },
    key(index) {
      guard()
      return [...data.keys()][index] ?? null
    },
    get length() {
      guard()
      return data.size
    },
  }
  setStorage(area)
  onTestFinished(() => setStorage())
  return { data, mode }
}
