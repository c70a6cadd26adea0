import {
  HttpError,
  JobCancelledError,
  JobFailedError,
  JobVanishedError,
  PollingLimitError,
  PollingStoppedError,
  type ProgressPollingError,
  RetryLimitError,
} from '../errors'
import { formatNames, type Reading, toSnapshot } from '../formats/index'
import { type PollJobOptions, resolveOptions } from '../options'
import type { JobSnapshot } from '../snapshot/types'
import { isAway, sleep, watchPage } from './page'
import { type RequestSettings, requestJson, type Validators } from './request'
import { backoff, isTransient, retryPolicy, serverDelay } from './retry'
import { type JobSource, resolveUrl } from './source'

export type { JobSource }

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
export function safeCall<A>(fn: ((arg: A) => void) | undefined, arg: A): void {
  try {
    fn?.(arg)
  } catch (error) {
    console.error('[progress-polling] a callback threw:', error)
  }
}

const seconds = (ms: number) => `${Math.round(ms / 1000)} s`

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
  const { pollInterval, debug } = o
  const policy = retryPolicy(o.retry)
  const url = resolveUrl(source, o.url)
  if (o.format !== 'auto' && !formatNames().includes(o.format)) {
    throw new TypeError(
      `progress-polling: the \`format\` option "${o.format}" is not a known format; known: auto, ${formatNames().join(', ')} (import 'progress-polling/formats' for the others), or read any body with the \`parse\` option`,
    )
  }
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
  /** A wait the server asked for, kept between `pollInterval` and `retry.maxRetryAfter`. */
  const pace = (asked: number) => Math.min(Math.max(asked, pollInterval), policy.maxRetryAfter)
  const listeners = new Set<(snapshot: JobSnapshot) => void>()
  const log = (...args: unknown[]) => debug && console.debug('[progress-polling]', ...args)
  let controller: AbortController | undefined
  let settle: ((error?: ProgressPollingError) => void) | undefined

  const publish = (snapshot: JobSnapshot) => {
    job.snapshot = snapshot
    for (const listener of [...listeners]) safeCall(listener, snapshot)
  }

  /** One run, from `restart()` to its end: everything here dies with `signal`. */
  const run = async (signal: AbortSignal) => {
    const validators: Validators = {}
    const startedAt = Date.now()
    let changedAt = startedAt
    let lastBody: string | undefined = ''
    const reading: Reading = { format: o.format, parse: o.parse, steps: o.steps }
    // A 201 or 202 may point at where the status lives (Location, Operation-Location).
    let target = url
    let seen = false
    let failures = 0
    let attempts = 0
    const emit = <A>(callback: ((arg: A) => void) | undefined, arg: A) => signal.aborted || safeCall(callback, arg)

    /** Ends the run: `done` settles, and exactly one of onComplete/onError fires. */
    const end = (error?: ProgressPollingError) => {
      log('ended', error?.message ?? 'succeeded')
      controller = undefined
      settle?.(error)
      if (error) emit(o.onError, error)
      else emit(o.onComplete, job.snapshot as JobSnapshot)
    }

    /** Polling itself failed: the snapshot turns failed and keeps what was known. */
    const fail = (error: ProgressPollingError) => {
      const { etaMs, connection, retry, ...known } = job.snapshot ?? { percent: null, raw: undefined }
      const code = (error as HttpError).status ?? (error.cause as HttpError | undefined)?.status
      error.snapshot = { ...known, status: 'failed', terminal: true, error: { message: error.message, code } }
      if (code === undefined) delete error.snapshot.error?.code
      publish(error.snapshot)
      end(error)
    }

    const limit = (name: PollingLimitError['limit'], message: string) =>
      fail(new PollingLimitError(o.timeoutMessage ?? message, url, { limit: name }))

    /** Applies one good response; `true` when the job reached its end. */
    const receive = (body: unknown, response: Response): boolean => {
      const key = `${response.status} ${JSON.stringify(body)}`
      if (key === lastBody && !job.snapshot?.connection) return false
      const snapshot = toSnapshot(body, response, target, reading, seen ? job.snapshot : undefined)
      if (!seen) log('format', snapshot.format)
      if (key !== lastBody) changedAt = Date.now()
      lastBody = key
      log('status', snapshot.status, snapshot.percent)
      publish(snapshot)
      if (!seen) emit(o.onStart, snapshot)
      seen = true
      emit(o.onProgress, snapshot)
      if (snapshot.terminal && !signal.aborted) {
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

    const stopWatching = o.pauseWhenHidden ? watchPage() : () => {}
    try {
      for (;;) {
        if (o.pauseWhenHidden && isAway()) {
          log('paused: the page is hidden or offline')
          await sleep(Number.POSITIVE_INFINITY, signal, true)
          if (signal.aborted) return
        }
        attempts++
        let delay = pollInterval
        // A server's own pacing (Retry-After, poll_after) is kept even when the page comes back.
        let asked: number | undefined
        try {
          log('GET', target)
          const { body, response, unchanged } = await requestJson(target, request, validators, signal)
          if (signal.aborted) return
          failures = 0
          const next =
            (response.status === 201 || response.status === 202) &&
            (response.headers.get('operation-location') ?? response.headers.get('location'))
          if (next) {
            try {
              target = new URL(next, response.url || globalThis.location?.href).href
            } catch {
              target = next
            }
          }
          if (unchanged) {
            // 304 Not Modified: unchanged, unless it ends a spell of retrying.
            if (job.snapshot?.connection) {
              const { connection, retry, ...back } = job.snapshot
              publish(back)
            }
          } else if (receive(body, response)) return
          asked = serverDelay(response, body)
          if (asked !== undefined) delay = pace(asked)
          const now = Date.now()
          if (job.snapshot?.status === 'pending' && now - startedAt >= o.startTimeout) {
            return limit(
              'startTimeout',
              `The job has not started after ${seconds(o.startTimeout)} (startTimeout). The server may not know its id: Celery, for one, reports unknown ids as PENDING.`,
            )
          }
          if (now - changedAt >= o.staleTimeout) {
            return limit('staleTimeout', `The job has not changed for ${seconds(now - changedAt)} (staleTimeout)`)
          }
        } catch (caught) {
          if (signal.aborted) return
          const error = caught as ProgressPollingError
          if (seen && error instanceof HttpError && (error.status === 404 || error.status === 410)) {
            const { status, response } = error
            return fail(
              new JobVanishedError(`The job no longer exists: HTTP ${status} from ${url} after it had been seen`, url, {
                status,
                response,
              }),
            )
          }
          if (!isTransient(error) || ++failures >= policy.limit) {
            const message = `Gave up after ${failures} failed attempts in a row: ${error.message}`
            return fail(failures > 1 ? new RetryLimitError(message, url, { attempts: failures, cause: error }) : error)
          }
          asked = serverDelay((error as HttpError).response)
          delay = asked === undefined ? backoff(failures, pollInterval, policy) : pace(asked)
          log(error.message, `retry ${failures} of ${policy.limit - 1} in ${delay} ms`)
          publish({
            ...(job.snapshot ?? { status: 'pending', terminal: false, percent: null, raw: undefined }),
            connection: 'retrying',
            retry: { attempt: failures, limit: policy.limit - 1, delayMs: delay, reason: error.message },
          })
        }
        if (attempts >= o.maxAttempts) {
          return limit('maxAttempts', `Gave up after ${attempts} polls (maxAttempts): the job had not finished`)
        }
        const left = startedAt + o.timeout - Date.now()
        await sleep(Math.min(delay, left), signal, asked === undefined)
        if (signal.aborted) return
        if (Date.now() - startedAt >= o.timeout) {
          return limit('timeout', `Gave up after ${seconds(o.timeout)} (timeout): the job had not finished`)
        }
      }
    } finally {
      stopWatching()
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
      void run(controller.signal)
    },
  }
  job.restart()
  return job
}
