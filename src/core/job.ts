// One job: a run at a time, fed by a transport, its state built by the reducer alone and
// published to every subscriber in order. Everything a run sets up (request, waits,
// presence listener, deadline) ends with the run's signal.

import { openChannel } from '../env/channel'
import { presence } from '../env/presence'
import { after } from '../env/timers'
import {
  asPollingError,
  HttpError,
  InvalidResponseError,
  invalidResponse,
  JobVanishedError,
  NetworkError,
  RetryLimitError,
} from '../errors'
import type { JobSnapshot } from '../snapshot/types'
import { deadline, limitReached } from './limits'
import { initialState, type JobEvent, type JobState, reduce } from './machine'
import type { JobHooks, JobSpec } from './options'
import { backoff, isTransient, serverDelay } from './retry'
import { keyOf } from './source'
import { poll } from './transport/poll'
import type { Transport, TransportContext, Wake } from './transport/types'

export type { JobState }

/** Calls `fn`, reporting (not throwing) what it throws: a consumer's bug never stops polling. */
export function safeCall<A>(fn: ((arg: A) => void) | undefined, arg: A): void {
  try {
    fn?.(arg)
  } catch (error) {
    console.error('[progress-polling] a callback threw:', error)
  }
}

export interface Job {
  readonly spec: JobSpec
  /** The current run's state. */
  readonly state: JobState
  /** The latest snapshot; `undefined` until anything is known. */
  readonly snapshot: JobSnapshot | undefined
  /**
   * Calls `listener` with every new state, at once with the current one when anything is
   * known. When the last listener unsubscribes, the job stops; a `passive` one (a plugin
   * that saves it) does not keep it running.
   */
  subscribe(listener: (state: JobState) => void, passive?: boolean): () => void
  /** Polls now rather than at the end of the wait. */
  refresh(): void
  /**
   * Ends the run: aborts the request in flight, clears every timer, and tells the
   * subscribers with a last state marked `stopped`. Safe to call twice.
   */
  stop(): void
}

export interface JobInit {
  /** What was known before this page: the job starts from it (no second `onStart`). */
  snapshot?: JobSnapshot
  /** When the job started, so that limits go on from there. */
  startedAt?: number
}

export interface JobSetup {
  init?: JobInit
  transport?: Transport
  /** Called when a run starts (`true`) and when it ends or stops (`false`). */
  lifecycle?: (job: Job, running: boolean) => void
}

// The streams are loaded by the first job that asks for them: a bundler puts them in a chunk
// of their own, which an app that only polls never downloads. They get what they share with
// polling from here, so that nothing else is split off the entry.
const streamed = (name: 'sse' | 'auto'): Transport =>
  async function* (ctx) {
    const { streams } = await import('./transport/sse')
    yield* streams({
      after,
      presence,
      poll,
      backoff,
      isTransient,
      serverDelay,
      invalidResponse,
      HttpError,
      InvalidResponseError,
      JobVanishedError,
      NetworkError,
      RetryLimitError,
    })[name](ctx)
  }

// One poller per browser: loaded, like the streams, by the first job that has other tabs
// to share with.
const shared = (inner: Transport): Transport =>
  async function* (ctx) {
    // The format's version in the name: tabs with another version of the library do not mix.
    const channel = openChannel(`progress-polling:1:job:${keyOf(ctx.spec.url)}`)
    if (channel.alone) return yield* inner(ctx)
    const { share } = await import('./transport/shared')
    yield* share(inner, channel)(ctx)
  }

/** Creates a job and starts its first run. */
export function createJob(spec: JobSpec, hooks: JobHooks, setup: JobSetup = {}): Job {
  const own = spec.transport === 'poll' ? poll : streamed(spec.transport)
  const { transport = spec.shareAcrossTabs ? shared(own) : own, lifecycle } = setup
  const listeners = new Set<(state: JobState) => void>()
  const passives = new Set<(state: JobState) => void>()
  const log = (...args: unknown[]) => spec.debug && console.debug('[progress-polling]', ...args)
  let controller: AbortController | undefined
  let finish = () => {}

  const publish = (state: JobState) => {
    for (const listener of [...listeners]) safeCall(listener, state)
  }

  function start(init?: JobInit): void {
    const run = new AbortController()
    const { signal } = run
    controller = run
    job.state = initialState(spec, init)

    finish = () => {
      if (controller === run) controller = undefined
      run.abort()
      lifecycle?.(job, false)
    }
    const dispatch = (event: JobEvent) => {
      if (signal.aborted) return
      const previous = job.state
      const state = reduce(previous, event, hooks.parse)
      job.state = state
      const { snapshot, reading } = state
      if (reading.chosen !== previous.reading.chosen) log('format', reading.chosen)
      if (snapshot && snapshot !== previous.snapshot) {
        // A connection problem with its technical reason: the widget only says it in words.
        const connection = snapshot.connection ? [snapshot.connection, snapshot.retry?.reason ?? ''] : []
        log('status', snapshot.status, snapshot.percent, ...connection)
      }
      if (state.ended) {
        log('ended', state.ended.error?.message ?? 'succeeded')
        finish()
      }
      publish(state)
    }

    let wake: ((why: Wake) => void) | undefined
    let refreshed = false
    const ctx: TransportContext = {
      spec,
      hooks,
      signal,
      log,
      online: () => presence().online(),
      state: () => job.state,
      refresh: () => job.refresh(),
      away: () => (spec.pauseWhenHidden && !presence().visible()) || !presence().online(),
      sleep: (ms, untilBack) =>
        new Promise<Wake>((resolve) => {
          if (signal.aborted || refreshed) {
            refreshed = false
            return resolve(signal.aborted ? 'abort' : 'refresh')
          }
          const end = (why: Wake) => {
            cancel()
            unsubscribe()
            signal.removeEventListener('abort', onAbort)
            wake = undefined
            resolve(why)
          }
          const onAbort = () => end('abort')
          const cancel = after(ms, () => end('time'))
          const unsubscribe = untilBack ? presence().subscribe(() => end('back')) : () => {}
          signal.addEventListener('abort', onAbort)
          wake = end
        }),
    }
    job.refresh = () => {
      if (wake) wake('refresh')
      else refreshed = true
    }

    lifecycle?.(job, true)
    const cancelDeadline = deadline(spec, job.state.startedAt, (error) => dispatch({ type: 'lost', error }))
    void (async () => {
      try {
        for await (const event of transport(ctx)) {
          dispatch(event)
          if (signal.aborted) break
          if (event.type === 'paused' || event.type === 'resumed' || event.type === 'snapshot') continue
          const error = limitReached(spec, job.state, event.type !== 'retrying')
          if (error) dispatch({ type: 'lost', error })
          if (signal.aborted) break
        }
      } catch (error) {
        dispatch({ type: 'lost', error: asPollingError(error, spec.url) })
      } finally {
        cancelDeadline()
      }
    })()
  }

  const job: { -readonly [K in keyof Job]: Job[K] } = {
    spec,
    state: initialState(spec, setup.init),
    get snapshot() {
      return job.state.snapshot
    },
    subscribe(listener, passive) {
      listeners.add(listener)
      if (passive) passives.add(listener)
      if (job.state.snapshot) safeCall(listener, job.state)
      return () => {
        passives.delete(listener)
        if (listeners.delete(listener) && listeners.size === passives.size) job.stop()
      }
    },
    refresh() {},
    stop() {
      if (!controller) return
      log('stopped')
      finish()
      job.state = { ...job.state, stopped: true }
      publish(job.state)
    },
  }
  start(setup.init)
  return job
}
