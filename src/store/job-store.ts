// Many jobs: one job per status URL in the page, so that two widgets, or a widget and a
// headless handle, on one URL share one request stream and one outcome. Capabilities that
// work across jobs (a list endpoint, persistence, other tabs) plug in with `use`.
import { createJob, type Job, type JobInit } from '../core/job'
import type { JobHooks, JobSpec } from '../core/options'
import { keyOf } from '../core/source'
import type { Transport } from '../core/transport/types'

export type StoreEvent = { type: 'added' | 'removed'; job: Job }

/** Extends a store; returns its teardown. */
export type StorePlugin = (store: JobStore) => (() => void) | undefined

export interface JobStore {
  /**
   * The running job of `spec.url`, or a new one started with `spec`, `hooks` and `init`, fed
   * by `transport` (default: the spec's own, polling or a stream).
   */
  add(spec: JobSpec, hooks: JobHooks, init?: JobInit, transport?: Transport): Job
  /** The running job of a status URL. */
  get(url: string): Job | undefined
  /** Every running job, oldest first. */
  list(): Job[]
  /** Stops every job. */
  stopAll(): void
  /** Calls `listener` when a job starts running here or stops. Returns the function that unsubscribes. */
  subscribe(listener: (event: StoreEvent) => void): () => void
  /** Adds a plugin. Returns the function that removes it (its teardown runs). */
  use(plugin: StorePlugin): () => void
}

export function createStore(): JobStore {
  const jobs = new Map<string, Job>()
  const listeners = new Set<(event: StoreEvent) => void>()
  const emit = (event: StoreEvent) => {
    for (const listener of [...listeners]) listener(event)
  }
  const lifecycle = (job: Job, running: boolean) => {
    const key = keyOf(job.spec.url)
    if (running && !jobs.has(key)) {
      jobs.set(key, job)
      emit({ type: 'added', job })
    } else if (!running && jobs.get(key) === job) {
      jobs.delete(key)
      emit({ type: 'removed', job })
    }
  }
  return {
    add: (spec, hooks, init, transport) =>
      jobs.get(keyOf(spec.url)) ?? createJob(spec, hooks, { init, lifecycle, transport }),
    get: (url) => jobs.get(keyOf(url)),
    list: () => [...jobs.values()],
    stopAll() {
      for (const job of [...jobs.values()]) job.stop()
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    use(plugin) {
      const teardown = plugin(this)
      let used = true
      return () => {
        if (used) teardown?.()
        used = false
      }
    },
  }
}

/** The page's store: every `pollJob` and widget joins it. */
export const pageStore: JobStore = createStore()
