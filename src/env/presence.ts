// Whether the page is present: visible and online. The default source reads the document
// and navigator; tests and other hosts replace it with `setPresence`. One set of
// document/window listeners serves every subscriber, and exists only while there is one.

export interface Presence {
  /** `false` while the tab is hidden. */
  visible(): boolean
  /** `false` while the browser says it is offline. */
  online(): boolean
  /** Calls `listener` when either changes. Returns the function that unsubscribes. */
  subscribe(listener: () => void): () => void
}

const listeners = new Set<() => void>()
const notify = () => {
  for (const listener of [...listeners]) listener()
}

function listen(method: 'addEventListener' | 'removeEventListener'): void {
  if (typeof document === 'undefined' || typeof window === 'undefined') return
  document[method]('visibilitychange', notify)
  window[method]('online', notify)
  window[method]('offline', notify)
}

/** The page's own presence (in Node: always visible and online). */
export const pagePresence: Presence = {
  visible: () => typeof document === 'undefined' || document.visibilityState !== 'hidden',
  online: () => typeof navigator === 'undefined' || navigator.onLine !== false,
  subscribe(listener) {
    if (!listeners.size) listen('addEventListener')
    const wrapped = () => listener()
    listeners.add(wrapped)
    return () => {
      if (listeners.delete(wrapped) && !listeners.size) listen('removeEventListener')
    }
  },
}

let current = pagePresence

/** The presence in use. */
export const presence = (): Presence => current

/** Replaces the presence source (`undefined` restores the page's own). */
export function setPresence(source?: Presence): void {
  current = source ?? pagePresence
}
