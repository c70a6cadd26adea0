// Whether the page is present: visible and online. One set of document/window listeners
// serves every poller, and exists only while at least one of them polls.

const waiters = new Set<() => void>()
let watchers = 0

/** `true` while the tab is hidden or the browser is offline (never in Node). */
export const isAway = (): boolean =>
  (typeof document !== 'undefined' && document.visibilityState === 'hidden') ||
  (typeof navigator !== 'undefined' && navigator.onLine === false)

function onChange(): void {
  if (!isAway()) for (const wake of [...waiters]) wake()
}

function listen(method: 'addEventListener' | 'removeEventListener'): void {
  if (typeof document === 'undefined' || typeof window === 'undefined') return
  document[method]('visibilitychange', onChange)
  window[method]('online', onChange)
  window[method]('offline', onChange)
}

/** Starts watching the page for one poller; returns the function that stops. */
export function watchPage(): () => void {
  if (watchers++ === 0) listen('addEventListener')
  let watching = true
  return () => {
    if (watching && --watchers === 0) listen('removeEventListener')
    watching = false
  }
}

/**
 * Resolves after `ms` (never, for `Infinity`), or at once when `signal` aborts, or —
 * with `wakeOnReturn` — when the page comes back (visible again, online again).
 * Leaves no timer, listener or waiter behind.
 */
export function sleep(ms: number, signal: AbortSignal, wakeOnReturn: boolean): Promise<void> {
  return new Promise((resolve) => {
    const wake = () => {
      clearTimeout(timer)
      signal.removeEventListener('abort', wake)
      waiters.delete(wake)
      resolve()
    }
    const timer = ms < Number.POSITIVE_INFINITY ? setTimeout(wake, ms) : undefined
    signal.addEventListener('abort', wake)
    if (wakeOnReturn) waiters.add(wake)
  })
}
