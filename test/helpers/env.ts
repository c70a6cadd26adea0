// A fake environment, injected through env/'s seams: no spying on the platform's getters.
import { onTestFinished } from 'vitest'
import { type Channel, setChannels } from '../../src/env/channel'
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
  setChannels((name) => {
    const listeners = new Set<(message: unknown) => void>()
    const peers = open.get(name) ?? new Set()
    open.set(name, peers)
    const receive = (message: unknown) => {
      for (const listener of [...listeners]) listener(structuredClone(message))
    }
    peers.add(receive)
    const channel: Channel = {
      post(message) {
        if (!delivering) return
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
  return {
    cut: () => {
      delivering = false
    },
    open: (name: string) => open.get(name)?.size ?? 0,
  }
}

/** A storage area in memory that can be made to refuse writes (full) or every access (disabled). */
export function fakeStorage() {
  const data = new Map<string, string>()
  const mode = { full: false, disabled: false }
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
      if (mode.full) throw new DOMException('Quota exceeded', 'QuotaExceededError')
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
