// A consumer's handle on a shared job: its own callbacks, listeners and `done`, fired once
// each per run whatever other consumers of the job do.
import type { ActionContext, ActionName } from '../core/actions'
import type { Job, JobInit } from '../core/job'
import { safeCall } from '../core/job'
import { type Callbacks, type PollJobOptions, resolveOptions, splitOptions } from '../core/options'
import { type JobSource, withId } from '../core/source'
import { after } from '../env/timers'
import { HttpError, NetworkError, PollingStoppedError, RequestTimeoutError } from '../errors'
import { formatNames } from '../formats/index'
import { first } from '../formats/types'
import type { JobSnapshot } from '../snapshot/types'
import { type JobStore, pageStore } from './job-store'

export type { JobSource }

export interface PollJob {
  /** The status URL being polled. */
  readonly url: string
  /** The latest snapshot; `undefined` until anything is known. */
  readonly snapshot: JobSnapshot | undefined
  /** Resolves with the final snapshot on success; rejects with the error otherwise (and on `stop()`). */
  readonly done: Promise<JobSnapshot>
  /** Calls `listener` with every new snapshot, at once with the current one if there is one. Returns the function that unsubscribes. */
  subscribe(listener: (snapshot: JobSnapshot) => void): () => void
  /** Polls now rather than at the end of the wait. */
  refresh(): void
  /**
   * Stops following the job: its request stops when nothing else follows it, and a job saved
   * with `persist` is forgotten. Safe to call twice.
   */
  stop(): void
  /** Follows the job again from scratch (a new `done`; `onStart` fires again). */
  restart(): void
  /**
   * Answers a waiting job: POSTs `{ "choice": choice }` as JSON to `respondUrl` (or the
   * body's `respond_url`), then polls at once. Resolves with the parsed answer (or
   * `undefined`); rejects with an `HttpError` (`status` kept: 409/410 when it was already
   * answered, 403 when not allowed), a `NetworkError` or a `RequestTimeoutError`, and with a
   * `TypeError` when there is nowhere to send it. Calling again while the same answer is in
   * flight sends nothing more.
   */
  respond(choice: string): Promise<unknown>
  /** Asks the server to cancel the job: POSTs to `cancelUrl` (or `cancel_url`), then polls at once. Settles like `respond`. */
  cancel(): Promise<unknown>
  /**
   * Asks the server to run a failed job again: POSTs to `retryUrl` (or `retry_url`), then
   * follows the job the answer names (a `Location` header, a `status_url`, a `job_id` put
   * into the `url` template), or the same URL, as a new run (a new `done`; `onStart` fires
   * again). Settles like `respond`.
   */
  retry(): Promise<unknown>
}

/** A handle, and what a view's action buttons need of it. */
export interface Followed extends PollJob {
  readonly actions: ActionContext
  /** Stops following, keeping the job's saved entry (a page that tears its view down). */
  leave(): void
}

/** What an action came to: the DOM event `progress-polling:action` says it (`status` 0: no answer). */
export interface ActionDetail {
  action: ActionName
  choice?: string
  status: number
  body: unknown
}

/**
 * A consumer's callbacks; `onAnswer`: called at every answer, changed or not (a view checks
 * it is still on the page); `onAction`: once per action sent, when it settles.
 */
export type Consumer = Callbacks & { onAnswer?: () => void; onAction?: (detail: ActionDetail) => void }

/** Follows the job of `spec.url` in `store` with `callbacks`, its actions going where `actions` says. */
export function follow(
  store: JobStore,
  { spec, hooks, actions }: ReturnType<typeof splitOptions>,
  callbacks: Consumer,
  init?: JobInit,
): Followed {
  const listeners = new Set<(snapshot: JobSnapshot) => void>()
  let job: Job
  let leave = () => {}

  function attach() {
    job = store.add(spec, hooks, init)
    let settle!: (ended: NonNullable<Job['state']['ended']>) => void
    handle.done = new Promise<JobSnapshot>((resolve, reject) => {
      settle = ({ error }) => (error ? reject(error) : resolve(job.snapshot as JobSnapshot))
    })
    handle.done.catch(() => {})
    let active = true
    let started = false
    let last: JobSnapshot | undefined
    let left = false
    let unsubscribe = () => {}
    // Set before subscribing: a job already known calls back at once, and a callback that
    // restarts or stops then leaves this run, not the one before.
    leave = () => {
      if (active) {
        active = false
        settle({ error: new PollingStoppedError(`Polling of ${spec.url} was stopped before the job ended`, spec.url) })
      }
      left = true
      unsubscribe()
    }
    unsubscribe = job.subscribe(({ snapshot, seen, progressed, ended, stopped }) => {
      // Stopped from elsewhere (the store): `done` settles as on `stop()`, and nothing fires.
      if (stopped) return leave()
      if (active) safeCall(callbacks.onAnswer, undefined)
      if (!active || !snapshot || snapshot === last) return
      last = snapshot
      for (const listener of [...listeners]) {
        safeCall(listener, snapshot)
        if (!active) return
      }
      // A consumer that joins a job already seen starts from the snapshot it is given.
      if (seen && (progressed || !started)) {
        if (!started) {
          started = true
          safeCall(callbacks.onStart, snapshot)
          if (!active) return
        }
        safeCall(callbacks.onProgress, snapshot)
        if (!active) return
      }
      if (ended) {
        active = false
        settle(ended)
        if (ended.error) safeCall(callbacks.onError, ended.error)
        else safeCall(callbacks.onComplete, snapshot)
      }
    })
    if (left) unsubscribe()
  }

  // The actions are loaded by the first one sent.
  const context: ActionContext = {
    get spec() {
      return spec
    },
    hooks,
    actions,
    snapshot: () => job.snapshot,
    refresh: () => job.refresh(),
    follow(url) {
      spec = { ...spec, url }
      handle.restart()
    },
    told: (detail) => safeCall(callbacks.onAction, detail),
    sending: new Map(),
    kit: { after, HttpError, NetworkError, RequestTimeoutError, withId, first },
  }
  const act = async (action: ActionName, choice?: string) =>
    (await (await import('../core/actions')).act(context, action, choice)).body

  const handle: { -readonly [K in keyof Followed]: Followed[K] } = {
    get url() {
      return spec.url
    },
    get snapshot() {
      return job.snapshot
    },
    done: Promise.resolve() as never,
    subscribe(listener) {
      listeners.add(listener)
      if (job.snapshot) safeCall(listener, job.snapshot)
      return () => listeners.delete(listener)
    },
    refresh: () => job.refresh(),
    stop() {
      leave()
      // Stopped on purpose: not to be restored, unless something else here still follows it.
      if (spec.persist && !store.get(spec.url)) void import('./persist').then(({ forget }) => forget(spec))
    },
    leave: () => leave(),
    restart() {
      leave()
      attach()
    },
    respond: (choice) => act('respond', typeof choice === 'number' ? String(choice) : choice),
    cancel: () => act('cancel'),
    retry: () => act('retry'),
    actions: context,
  }
  attach()
  return handle
}

/**
 * Polls a job's status URL with no DOM at all: for apps that render their own UI,
 * and for Node. Handles on one URL in one page share one request stream.
 * @example
 * const job = pollJob('/jobs/42/', { pollInterval: 1000 })
 * job.subscribe((s) => console.log(s.status, s.percent))
 * await job.done
 */
export function pollJob(source: JobSource, options: PollJobOptions = {}): PollJob {
  const o = resolveOptions(options, formatNames())
  const split = splitOptions(source, o)
  // Saving is loaded by the first job that asks for it.
  if (o.persist) void import('./persist').then(({ persisting }) => persisting(pageStore))
  return follow(pageStore, split, o)
}
