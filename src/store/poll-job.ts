// A consumer's handle on a shared job: its own callbacks, listeners and `done`, fired once
// each per run whatever other consumers of the job do.
import type { Job, JobInit } from '../core/job'
import { safeCall } from '../core/job'
import {
  type Callbacks,
  type JobHooks,
  type JobSpec,
  type PollJobOptions,
  resolveOptions,
  splitOptions,
} from '../core/options'
import type { JobSource } from '../core/source'
import { PollingStoppedError } from '../errors'
import { formatNames } from '../formats/index'
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
  /** Stops following the job: its request stops when nothing else follows it. Safe to call twice. */
  stop(): void
  /** Follows the job again from scratch (a new `done`; `onStart` fires again). */
  restart(): void
}

/** A consumer's callbacks, and `onAnswer`: called at every answer, changed or not (a view checks it is still on the page). */
export type Consumer = Callbacks & { onAnswer?: () => void }

/** Follows the job of `spec.url` in `store` with `callbacks`. */
export function follow(store: JobStore, spec: JobSpec, hooks: JobHooks, callbacks: Consumer, init?: JobInit): PollJob {
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
    const unsubscribe = job.subscribe(({ snapshot, seen, progressed, ended, stopped }) => {
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
    leave = () => {
      if (active) {
        active = false
        settle({ error: new PollingStoppedError(`Polling of ${spec.url} was stopped before the job ended`, spec.url) })
      }
      unsubscribe()
    }
  }

  const handle: { -readonly [K in keyof PollJob]: PollJob[K] } = {
    url: spec.url,
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
    stop: () => leave(),
    restart() {
      leave()
      attach()
    },
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
  const { spec, hooks } = splitOptions(source, o)
  return follow(pageStore, spec, hooks, o)
}
