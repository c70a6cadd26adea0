// Leadership among the tabs of one browser: one tab at a time holds the lock for a name.
// With the Web Locks API (`navigator.locks`, secure contexts and localhost) the browser
// hands the lock over the moment its holder closes. Elsewhere a heartbeat election over a
// channel: the leader beats every BEAT ms; a tab that hears nothing for PATIENCE ms claims,
// and among tabs that claim together the smallest id wins. Two leaders for a moment do no
// harm to the callers, who order what they receive.
import { openChannel } from './channel'
import { after } from './timers'

/** The part of the Web Locks API the library uses. */
export type Locks = Pick<LockManager, 'request'>

export const BEAT = 1000
export const PATIENCE = 2500
const SETTLE = 200

let override: Locks | null | undefined

/** Replaces the Web Locks API: `null` forces the heartbeat election, `undefined` restores `navigator.locks`. */
export function setLocks(locks?: Locks | null): void {
  override = locks
}

/**
 * Waits to lead for `name`: calls `onLead` when this tab becomes the leader, and `onLose`
 * if it stops being one without having asked to (the election's other leader won).
 * Returns the function that gives leadership up, or stops waiting for it.
 */
export function lead(name: string, onLead: () => void, onLose: () => void = () => {}): () => void {
  const locks = override !== undefined ? override : typeof navigator === 'undefined' ? undefined : navigator.locks
  return locks ? withLocks(locks, name, onLead) : heartbeat(name, onLead, onLose)
}

function withLocks(locks: Locks, name: string, onLead: () => void): () => void {
  const controller = new AbortController()
  let release = () => {}
  locks
    .request(`progress-polling:${name}`, { signal: controller.signal }, () => {
      if (controller.signal.aborted) return
      onLead()
      return new Promise<void>((resolve) => {
        release = resolve
      })
    })
    .catch(() => {
      // Aborted while waiting: nothing was held.
    })
  return () => {
    controller.abort()
    release()
  }
}

type Message = { beat: number } | { claim: number } | { bye: number }

function heartbeat(name: string, onLead: () => void, onLose: () => void): () => void {
  const channel = openChannel(`progress-polling:lock:${name}`)
  const id = Math.random()
  let leading = false
  let cancel = () => {}
  const next = (ms: number, fn: () => void) => {
    cancel()
    cancel = after(ms, fn)
  }
  const beat = () => {
    channel.post({ beat: id })
    next(BEAT, beat)
  }
  const watch = () => next(PATIENCE, claim)
  function claim() {
    channel.post({ claim: id })
    next(SETTLE, () => {
      leading = true
      beat()
      onLead()
    })
  }
  const off = channel.subscribe((data) => {
    const message = Object(data) as Partial<Record<'beat' | 'claim' | 'bye', number>>
    if (typeof message.bye === 'number') {
      if (!leading) claim()
    } else if (typeof message.beat === 'number') {
      if (!leading) watch()
      else if (message.beat < id) {
        leading = false
        watch()
        onLose()
      }
    } else if (typeof message.claim === 'number') {
      if (leading) channel.post({ beat: id } satisfies Message)
      else if (message.claim < id) watch()
    }
  })
  claim()
  return () => {
    cancel()
    off()
    if (leading) channel.post({ bye: id } satisfies Message)
    leading = false
    channel.close()
  }
}
