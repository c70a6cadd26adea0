import {
  type HttpError,
  JobCancelledError,
  JobFailedError,
  PollingStoppedError,
  type ProgressPollingError,
  RetryLimitError,
} from '../errors'
import { toSnapshot } from '../formats/index'
import { type PollJobOptions, resolveOptions } from '../options'
import type { JobSnapshot } from '../snapshot/types'
import { type RequestSettings, requestJson } from './request'
import { isTransient, retryDelay } from './retry'
import { type JobSource, resolveUrl } from './source'

export type { JobSource }

/** A running poll of one job, with no DOM: what `pollJob` returns. */
export interface PollJob {
  /** The status URL being polled. */
  readonly url: string
  /** The latest snapshot; `undefined` until the first response. */
  readonly snapshot: JobSnapshot | undefined
  /** Resolves with the final snapshot on success; rejects with the error otherwise (and on `stop()`). */
  readonly done: Promise<JobSnapshot>
  /** Calls `listener` with every changed snapshot. Returns the function that unsubscribes. */
  subscribe(listener: (snapshot: JobSnapshot) => void): () => void
  /** Stops polling: aborts the request in flight and clears the timer. Safe to call twice. */
  stop(): void
  /** Starts polling again from scratch (a new `done`, `onStart` fires again). */
  restart(): void
}

/** Calls a user function; what it throws is reported and never stops polling. */
export function safeCall<A>(fn: ((arg: A) => void) | undefined, arg: A): void {
  try {
    fn?.(arg)
  } catch (error) {
    console.error('[progress-polling] a callback threw:', error)
  }
}

/** Resolves after `ms`, or at once when `signal` aborts; leaves no timer or listener behind. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const wake = () => {
      clearTimeout(timer)
      signal.removeEventListener('abort', wake)
      resolve()
    }
    const timer = setTimeout(wake, ms)
    signal.addEventListener('abort', wake)
  })
}

/**
 * Polls a job's status URL with no DOM at all: for apps that render their own UI,
 * and for Node.
 * @example
 * const job = pollJob('/jobs/42/', { pollInterval: 1000 })
 * job.subscribe((s) => console.log(s.status, s.percent))
 * await job.done
 */
export function pollJob(source: JobSource, options: PollJobOptions = {}): PollJob {
  const o = resolveOptions(options)
  const { pollInterval, retry, debug } = o
  const url = resolveUrl(source, o.url)
  if (!o.fetch && typeof fetch !== 'function') {
    throw new TypeError('progress-polling: no global fetch here; pass one as the `fetch` option')
  }
  const request: RequestSettings = {
    // Looked up at call time, so that a fetch patched later (msw, a test) is used.
    fetch: (input, init) => (o.fetch ?? fetch)(input, init),
    headers: o.headers,
    credentials: o.credentials,
    timeout: o.requestTimeout,
  }
  const listeners = new Set<(snapshot: JobSnapshot) => void>()
  const log = (...args: unknown[]) => debug && console.debug('[progress-polling]', ...args)
  let controller: AbortController | undefined
  let settle: ((error?: ProgressPollingError) => void) | undefined
  let lastBody: string
  let started: boolean

  const publish = (snapshot: JobSnapshot) => {
    job.snapshot = snapshot
    for (const listener of [...listeners]) safeCall(listener, snapshot)
  }

  /** Ends the run: `done` settles, and exactly one of onComplete/onError fires. */
  const end = (error?: ProgressPollingError) => {
    log('ended', error?.message ?? 'succeeded')
    controller = undefined
    settle?.(error)
    if (error) safeCall(o.onError, error)
    else safeCall(o.onComplete, job.snapshot as JobSnapshot)
  }

  /** Applies one good response. Returns `true` when the job reached its end. */
  const receive = (body: unknown, response: Response): boolean => {
    const key = JSON.stringify(body)
    if (key === lastBody) return false
    const snapshot = toSnapshot(body, response, url, job.snapshot)
    lastBody = key
    log('status', snapshot.status, snapshot.percent)
    publish(snapshot)
    if (!started) safeCall(o.onStart, snapshot)
    started = true
    safeCall(o.onProgress, snapshot)
    if (snapshot.terminal) {
      const failed = snapshot.status === 'failed'
      const message = snapshot.error?.message || snapshot.message || `The job ${failed ? 'failed' : 'was cancelled'}`
      end(
        snapshot.status === 'succeeded'
          ? undefined
          : new (failed ? JobFailedError : JobCancelledError)(message, url, { snapshot }),
      )
    }
    return snapshot.terminal
  }

  /** Polling itself failed: the snapshot turns failed and keeps what was known. */
  const fail = (error: ProgressPollingError) => {
    const { etaMs, ...known } = job.snapshot ?? { percent: null, raw: undefined }
    const code = (error as HttpError).status ?? (error.cause as HttpError | undefined)?.status
    error.snapshot = { ...known, status: 'failed', terminal: true, error: { message: error.message, code } }
    if (code === undefined) delete error.snapshot.error?.code
    publish(error.snapshot)
    end(error)
  }

  const loop = async (signal: AbortSignal) => {
    let failures = 0
    for (;;) {
      let delay = pollInterval
      try {
        log('GET', url)
        const { body, response } = await requestJson(url, request, signal)
        if (signal.aborted) return
        failures = 0
        if (receive(body, response)) return
      } catch (caught) {
        if (signal.aborted) return
        const error = caught as ProgressPollingError
        if (!isTransient(error) || ++failures >= retry) {
          const message = `Gave up after ${failures} failed attempts in a row: ${error.message}`
          return fail(failures > 1 ? new RetryLimitError(message, url, { attempts: failures, cause: error }) : error)
        }
        delay = retryDelay(failures, pollInterval)
        log(error.message, `retry ${failures} of ${retry - 1} in ${delay} ms`)
      }
      await sleep(delay, signal)
      if (signal.aborted) return
    }
  }

  const job: { -readonly [K in keyof PollJob]: PollJob[K] } = {
    url,
    snapshot: undefined,
    done: Promise.resolve() as never,
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    stop() {
      if (!controller) return
      log('stopped')
      controller.abort()
      controller = undefined
      settle?.(new PollingStoppedError(`Polling of ${url} was stopped before the job ended`, url))
    },
    restart() {
      job.stop()
      lastBody = ''
      started = false
      job.done = new Promise<JobSnapshot>((resolve, reject) => {
        settle = (error) => {
          settle = undefined
          if (error) reject(error)
          else resolve(job.snapshot as JobSnapshot)
        }
      })
      // Whoever never reads `done` must not see "unhandled rejection" for a job that failed.
      job.done.catch(() => {})
      controller = new AbortController()
      void loop(controller.signal)
    },
  }
  job.restart()
  return job
}
