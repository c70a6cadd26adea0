// Leadership among the tabs of one browser: one tab at a time holds the lock for a name.
// With the Web Locks API the browser hands the lock over the moment its holder closes, and
// a tab may steal it from a frozen one. Elsewhere a heartbeat election over a channel: the
// leader beats every BEAT ms; a tab that hears nothing for PATIENCE ms claims, and among
// tabs that claim together the smallest id wins. Two leaders for a moment do no harm to
// the callers, who order what they receive.
import { openChannel } from './channel'
import { type Locks, webLocks } from './lock'
import { after } from './timers'

export const BEAT = 1000
export const PATIENCE = 2500
const SETTLE = 200

/** A tab's place in the election for one name. */
export interface Leadership {
  /** Gives leadership up, or stops waiting for it. */
  release(): void
  /** Takes leadership now from a leader that stopped answering (a frozen tab). */
  steal(): void
}

/**
 * Waits to lead for `name`: calls `onLead` when this tab becomes the leader, and `onLose`
 * if it stops being one without having asked to (another tab stole it, or the election's
 * other leader won); it then waits to lead again.
 */
export function lead(name: string, onLead: () => void, onLose: () => void = () => {}): Leadership {
  const locks = webLocks()
  return locks ? withLocks(locks, name, onLead, onLose) : heartbeat(name, onLead, onLose)
}

function withLocks(locks: Locks, name: string, onLead: () => void, onLose: () => void): Leadership {
  let over = false
  let waiting = new AbortController()
  let release = () => {}
  const ask = (steal?: boolean) => {
    waiting.abort()
    const controller = new AbortController()
    waiting = controller
    let held = false
    locks
      .request(`progress-polling:${name}`, steal ? { steal } : { signal: controller.signal }, () => {
        if (over || controller.signal.aborted) return
        held = true
        onLead()
        return new Promise<void>((resolve) => {
          release = resolve
        })
      })
      .catch(() => {
        // Aborted while waiting: nothing was held. Stolen while held: wait for it again.
        if (!held || over) return
        release = () => {}
        onLose()
        ask()
      })
  }
  ask()
  return {
    release() {
      over = true
      waiting.abort()
      release()
    },
    steal: () => ask(true),
  }
}

type Message = { beat: number } | { claim: number } | { bye: number }

function heartbeat(name: string, onLead: () => void, onLose: () => void): Leadership {
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
  return {
    release() {
      cancel()
      off()
      if (leading) channel.post({ bye: id } satisfies Message)
      leading = false
      channel.close()
    },
    steal() {
      if (!leading) claim()
    },
  }
}
