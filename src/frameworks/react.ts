// progress-polling/react: a shared job's live snapshot in a React component, through
// useSyncExternalStore (no tearing under concurrent rendering). Polling starts when the
// component subscribes, after it committed: never during render, never on the server.
import { useInsertionEffect, useMemo, useRef, useSyncExternalStore } from 'react'
import {
  type JobSnapshot,
  type JobSource,
  type PollJob,
  type PollJobOptions,
  type ProgressPollingError,
  pollJob,
} from '../index'
import { actOn, type JobControls, leave } from './act'

/** What `useJob` returns. */
export interface UseJob extends JobControls {
  /** The latest snapshot; `undefined` before the first answer, with no job, and on the server. */
  snapshot: JobSnapshot | undefined
  /** Why following the job ended, when it did not succeed (`JobFailedError`, `HttpError`, …). */
  error: ProgressPollingError | undefined
}

interface View {
  snapshot: JobSnapshot | undefined
  error: ProgressPollingError | undefined
}

const NONE: View = { snapshot: undefined, error: undefined }

/** One component's hold on a job: kept across renders, and across StrictMode's remount. */
interface Hold {
  key: string | null
  handle?: PollJob
  view: View
  notify?: () => void
  /** Set while a stop waits for the end of the commit (a remount cancels it). */
  leaving?: { cancelled: boolean }
}

const CALLBACKS = ['onStart', 'onProgress', 'onComplete'] as const

function release(hold: Hold): void {
  if (hold.leaving) hold.leaving.cancelled = true
  hold.leaving = undefined
  leave(hold.handle)
  hold.handle = undefined
  hold.key = null
  hold.view = NONE
}

/**
 * Follows a job from a React component and re-renders it with each new snapshot.
 *
 * - `source`: the status URL or the job's id (with the `url` option); `null` or `undefined`
 *   means no job yet (the `jobId | null` of a component that starts one).
 * - Only `source` decides which job is followed: options and callbacks may be new objects at
 *   every render; the latest callbacks are called, and polling is not restarted.
 * - Components on one job share one request stream; unmounting stops it once no component
 *   (nor widget) follows the job; StrictMode's double mount sends no second request.
 * @example
 * const { snapshot, error } = useJob(jobId && `/jobs/${jobId}/`)
 */
export function useJob(source: JobSource | null | undefined, options: PollJobOptions = {}): UseJob {
  // The options of the last committed render: callbacks may change at every render.
  const latest = useRef(options)
  useInsertionEffect(() => {
    latest.current = options
  })
  const ref = useRef<Hold>(null)
  ref.current ??= { key: null, view: NONE }
  const hold = ref.current
  const key = source == null || source === '' ? null : String(source)

  const subscribe = useMemo(
    () => (notify: () => void) => {
      if (key === null) return () => {}
      if (hold.leaving) hold.leaving.cancelled = true
      hold.leaving = undefined
      hold.notify = notify
      if (hold.key !== key || !hold.handle) {
        release(hold)
        hold.key = key
        const set = (view: View) => {
          hold.view = view
          hold.notify?.()
        }
        const calls: PollJobOptions = {}
        for (const name of CALLBACKS) calls[name] = (snapshot: JobSnapshot) => latest.current[name]?.(snapshot)
        const handle = pollJob(key, {
          ...latest.current,
          ...calls,
          onError: (error) => {
            set({ snapshot: handle.snapshot, error })
            latest.current.onError?.(error)
          },
        })
        hold.handle = handle
        handle.subscribe((snapshot) => set({ snapshot, error: hold.view.error }))
      }
      return () => {
        hold.notify = undefined
        // StrictMode unmounts and remounts in one commit: stop only if no remount follows.
        const leaving = { cancelled: false }
        hold.leaving = leaving
        queueMicrotask(() => {
          if (!leaving.cancelled) release(hold)
        })
      }
    },
    [key, hold],
  )
  const view = useSyncExternalStore(
    subscribe,
    () => (hold.key === key ? hold.view : NONE),
    () => NONE,
  )
  const controls = useMemo(
    () => ({
      stop: () => hold.handle?.stop(),
      restart: () => {
        const { handle } = hold
        if (!handle) return
        hold.view = { snapshot: hold.view.snapshot, error: undefined }
        handle.restart()
        hold.notify?.()
      },
      ...actOn(
        () => hold.handle,
        () => {
          hold.view = { snapshot: hold.view.snapshot, error: undefined }
          hold.notify?.()
        },
      ),
    }),
    [hold],
  )
  return useMemo(() => ({ ...view, ...controls }), [view, controls])
}
