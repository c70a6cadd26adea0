import {
  HttpError,
  JobCancelledError,
  JobFailedError,
  PollingStoppedError,
  type ProgressPollingError,
  RetryLimitError,
} from '../errors'
import { toSnapshot } from '../formats/index'
import { type PollJobOptions, type Resolved, resolveOptions } from '../options'
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

class Poller implements PollJob {
  readonly url: string
  snapshot: JobSnapshot | undefined
  done!: Promise<JobSnapshot>
  readonly #options: Resolved<PollJobOptions>
  readonly #request: RequestSettings
  readonly #listeners = new Set<(snapshot: JobSnapshot) => void>()
  #controller: AbortController | undefined
  #settle: ((error?: ProgressPollingError) => void) | undefined
  #lastBody = ''
  #started = false

  constructor(source: JobSource, options: PollJobOptions) {
    const o = resolveOptions(options)
    this.#options = o
    this.url = resolveUrl(source, o.url)
    if (!o.fetch && typeof fetch !== 'function')
      throw new TypeError('progress-polling: no global fetch here; pass one as the `fetch` option')
    this.#request = {
      fetch: (input, init) => (o.fetch ?? fetch)(input, init),
      headers: o.headers,
      credentials: o.credentials,
      timeout: o.requestTimeout,
    }
    this.restart()
  }

  subscribe(listener: (snapshot: JobSnapshot) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  stop(): void {
    if (!this.#controller) return
    this.#log('stopped')
    this.#controller.abort()
    this.#controller = undefined
    this.#settle?.(new PollingStoppedError(`Polling of ${this.url} was stopped before the job ended`, this.url))
  }

  restart(): void {
    this.stop()
    this.#lastBody = ''
    this.#started = false
    this.done = new Promise<JobSnapshot>((resolve, reject) => {
      this.#settle = (error) => {
        this.#settle = undefined
        if (error) reject(error)
        else resolve(this.snapshot as JobSnapshot)
      }
    })
    // Whoever never reads `done` must not see "unhandled rejection" for a job that failed.
    this.done.catch(() => {})
    const controller = new AbortController()
    this.#controller = controller
    void this.#loop(controller.signal)
  }

  async #loop(signal: AbortSignal): Promise<void> {
    const { pollInterval, retry } = this.#options
    let failures = 0
    for (;;) {
      this.#log('GET', this.url)
      const outcome = await requestJson(this.url, this.#request, signal)
      if (signal.aborted) return
      let delay = pollInterval
      let error = 'error' in outcome ? outcome.error : undefined
      if (!('error' in outcome)) {
        failures = 0
        try {
          if (this.#receive(outcome.body, outcome.response)) return
        } catch (invalid) {
          error = invalid as ProgressPollingError
        }
      }
      if (error) {
        if (!isTransient(error) || ++failures >= retry) {
          const message = `Gave up after ${failures} failed attempts in a row: ${error.message}`
          this.#fail(
            failures > 1 ? new RetryLimitError(message, this.url, { attempts: failures, cause: error }) : error,
          )
          return
        }
        delay = retryDelay(failures, pollInterval)
        this.#log(`${error.message}; retry ${failures} of ${retry - 1} in ${delay} ms`)
      }
      await sleep(delay, signal)
      if (signal.aborted) return
    }
  }

  /** Applies one good response. Returns `true` when the job reached its end. */
  #receive(body: unknown, response: Response): boolean {
    const key = JSON.stringify(body)
    if (key === this.#lastBody) return false
    const snapshot = toSnapshot(body, response, this.url, this.snapshot)
    this.#lastBody = key
    this.#log('status', snapshot.status, snapshot.percent)
    this.#publish(snapshot)
    const o = this.#options
    if (!this.#started) {
      this.#started = true
      safeCall(o.onStart, snapshot)
    }
    safeCall(o.onProgress, snapshot)
    if (!snapshot.terminal) return false
    if (snapshot.status === 'succeeded') {
      this.#end()
      safeCall(o.onComplete, snapshot)
    } else {
      const failed = snapshot.status === 'failed'
      const message = snapshot.error?.message || snapshot.message || `The job ${failed ? 'failed' : 'was cancelled'}`
      this.#end(new (failed ? JobFailedError : JobCancelledError)(message, this.url, { snapshot }))
    }
    return true
  }

  /** Polling itself failed: show it as a failed snapshot that keeps what was known. */
  #fail(error: ProgressPollingError): void {
    const last = this.snapshot ?? { percent: null, raw: undefined }
    const code = error instanceof HttpError ? error.status : (error.cause as { status?: number } | undefined)?.status
    const { etaMs, ...known } = last as JobSnapshot
    error.snapshot = {
      ...known,
      status: 'failed',
      terminal: true,
      error: code === undefined ? { message: error.message } : { message: error.message, code },
    }
    this.#publish(error.snapshot)
    this.#end(error)
  }

  #publish(snapshot: JobSnapshot): void {
    this.snapshot = snapshot
    for (const listener of [...this.#listeners]) safeCall(listener, snapshot)
  }

  #end(error?: ProgressPollingError): void {
    this.#log(error ? `ended: ${error.message}` : 'ended: succeeded')
    this.#controller = undefined
    this.#settle?.(error)
    if (error) safeCall(this.#options.onError, error)
  }

  #log(...args: unknown[]): void {
    if (this.#options.debug) console.debug('[progress-polling]', ...args)
  }
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
  return new Poller(source, options)
}
