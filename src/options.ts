import type { RetryOptions } from './core/retry'
import type { ProgressPollingError } from './errors'
import type { JobSnapshot, SnapshotFields } from './snapshot/types'
import type { Labels } from './view/labels'

/** Options of the headless poller, `pollJob`. */
export interface PollJobOptions {
  /**
   * Where to find a job's status when the source is a job id rather than a URL:
   * a template in which `{id}` is replaced by the URL-encoded id, or a function.
   * @default undefined
   * @example '/core/sse-progress/{id}/'
   * @example (id) => `/api/jobs/${id}/status`
   */
  url?: string | ((id: string) => string)
  /**
   * Milliseconds between the end of one response and the next request.
   * @default 500
   */
  pollInterval?: number
  /**
   * Milliseconds before one request is aborted and counted as a transient failure.
   * @default 10000
   */
  requestTimeout?: number
  /**
   * Transient failures in a row (network error, timeout, 408, 425, 429, 5xx) after which
   * polling gives up, or the whole policy. Each retry waits longer: exponential backoff
   * with full jitter, or what the server asked for with `Retry-After`.
   * @default 5
   * @example { limit: 10, backoffLimit: 60000, maxRetryAfter: 300000 }
   */
  retry?: number | RetryOptions
  /**
   * Polls (requests) after which polling gives up with `timeoutMessage`.
   * @default Infinity
   */
  maxAttempts?: number
  /**
   * Milliseconds after the start after which polling gives up with `timeoutMessage`.
   * @default Infinity
   */
  timeout?: number
  /**
   * The message shown and passed to `onError` when `maxAttempts`, `timeout`,
   * `staleTimeout` or `startTimeout` is reached. By default, one that names the limit.
   * @default undefined
   * @example 'The import is taking longer than usual. We will e-mail you when it is done.'
   */
  timeoutMessage?: string
  /**
   * Milliseconds without any change in the job's status after which polling gives up:
   * a worker that died leaves its job "running" forever.
   * @default Infinity
   */
  staleTimeout?: number
  /**
   * Milliseconds a job may stay `pending` before polling gives up. Celery reports an id it
   * does not know as PENDING forever; this turns that into a clear message.
   * @default Infinity
   */
  startTimeout?: number
  /**
   * Which server format to read: `'auto'` detects it from the first response and keeps it;
   * or a name: `'default'`, `'generic'`, `'celery-progress'`, `'sidekiq-status'`,
   * `'http-status'`, and, once `progress-polling/formats` is imported, `'celery'`,
   * `'activejob-status'`, `'rq'`, `'bullmq'`, `'laravel-batch'`, `'laravel-job-status'`,
   * `'google-lro'`, `'azure'`, `'ogc'`, `'github-actions'`.
   * @default 'auto'
   */
  format?: string
  /**
   * Reads any other body: returns the snapshot fields it says (`status` is any status
   * word), merged over what the detected format read.
   * @default undefined
   * @example (body) => ({ status: body.job.state, percent: body.job.pct, message: body.job.note })
   */
  parse?: (body: unknown, response: Response) => Partial<SnapshotFields> | undefined
  /**
   * The stage names of a stage-based job, in order: the widget shows them as a stepper,
   * and without a percent from the server the bar shows the stages done.
   * @default undefined
   * @example ['uploading', 'indexing', 'analyzing']
   */
  steps?: string[]
  /**
   * Send no request while the tab is hidden or the browser offline; poll at once on return.
   * @default true
   */
  pauseWhenHidden?: boolean
  /**
   * Extra request headers, e.g. an auth or CSRF token.
   * @default {}
   * @example { 'X-CSRFToken': csrftoken }
   */
  headers?: Record<string, string>
  /**
   * Whether cookies are sent (the Fetch API's `credentials`).
   * @default 'same-origin'
   */
  credentials?: RequestCredentials
  /**
   * The `fetch` implementation to use (for tests, or to add auth).
   * @default globalThis.fetch
   */
  fetch?: typeof fetch
  /**
   * Log each poll and state change to the console, prefixed with `[progress-polling]`.
   * @default false
   */
  debug?: boolean
  /** Called once, on the first response: the job is known. */
  onStart?: (snapshot: JobSnapshot) => void
  /** Called on every response that changed the snapshot. */
  onProgress?: (snapshot: JobSnapshot) => void
  /** Called exactly once, when the job succeeded. */
  onComplete?: (snapshot: JobSnapshot) => void
  /** Called exactly once, when the job failed or was cancelled, or polling gave up. */
  onError?: (error: ProgressPollingError) => void
}

/** Options of the `ProgressPolling` widget: the poller's, plus what is shown. */
export interface ProgressPollingOptions extends PollJobOptions {
  /**
   * Heading text.
   * @default ''
   */
  title?: string
  /**
   * Text or emoji shown before the title.
   * @default ''
   */
  icon?: string
  /**
   * Show the statistics block: total, processed, remaining, failed, elapsed, ETA.
   * @default true
   */
  showDetails?: boolean
  /**
   * Show the status message line.
   * @default true
   */
  showStats?: boolean
  /**
   * Hide the widget after the job succeeded.
   * @default false
   */
  autoHideOnComplete?: boolean
  /**
   * Milliseconds between success and hiding, with `autoHideOnComplete`.
   * @default 3000
   */
  autoHideDelay?: number
  /**
   * Replacements for any visible string of the widget, and labels for stage names.
   * @default {}
   * @example { succeeded: 'Import finished', eta: 'Remaining time', indexing: 'Indexing the video' }
   */
  labels?: Partial<Labels> & Record<string, string>
}

type Defaults = { [K in keyof Required<ProgressPollingOptions>]: Required<ProgressPollingOptions>[K] | undefined }

/**
 * The defaults of every option. A site sets its own once (`ProgressPolling.defaults.url =
 * '/jobs/{id}/'`); each widget then merges its options over this object with `??`.
 */
export const defaults: Defaults = {
  url: undefined,
  pollInterval: 500,
  requestTimeout: 10000,
  retry: 5,
  maxAttempts: Number.POSITIVE_INFINITY,
  timeout: Number.POSITIVE_INFINITY,
  timeoutMessage: undefined,
  staleTimeout: Number.POSITIVE_INFINITY,
  startTimeout: Number.POSITIVE_INFINITY,
  pauseWhenHidden: true,
  format: 'auto',
  parse: undefined,
  steps: undefined,
  headers: {},
  credentials: 'same-origin',
  fetch: undefined,
  debug: false,
  onStart: undefined,
  onProgress: undefined,
  onComplete: undefined,
  onError: undefined,
  title: '',
  icon: '',
  showDetails: true,
  showStats: true,
  autoHideOnComplete: false,
  autoHideDelay: 3000,
  labels: {},
}

export type Resolved<T> = { [K in keyof T]-?: Exclude<T[K], undefined> } & Pick<
  PollJobOptions,
  'url' | 'onStart' | 'onProgress' | 'onComplete' | 'onError'
>

// What each option must be: the type of its default (options with no default say theirs
// here, or are functions) and, for numbers, the least value that makes sense.
const UNSET: Record<string, string> = { url: 'string', timeoutMessage: 'string', steps: 'object' }
export const TYPES: Record<string, string> = {}
for (const [key, value] of Object.entries(defaults))
  TYPES[key] = value === undefined ? (UNSET[key] ?? 'function') : typeof value
const LEAST: Record<string, number> = {
  pollInterval: 1,
  requestTimeout: 1,
  autoHideDelay: 0,
  maxAttempts: 1,
  timeout: 1,
  staleTimeout: 1,
  startTimeout: 1,
}

const a = (word: string) => `${/^[aeiou]/.test(word) ? 'an' : 'a'} ${word}`

function check(key: string, value: unknown): Error | undefined {
  const type = TYPES[key] as string
  const got =
    typeof value === 'string' ? JSON.stringify(value) : /number|boolean/.test(typeof value) ? value : typeof value
  const fail = (Type: typeof TypeError, what: string) =>
    Type(`progress-polling: the \`${key}\` option must be ${what}, got ${got}`)
  if (key === 'steps' && !(Array.isArray(value) && value.every((step) => typeof step === 'string'))) {
    return fail(TypeError, 'an array of stage names')
  }
  const also = key === 'url' ? 'function' : key === 'retry' ? 'object' : ''
  if (typeof value !== type && typeof value !== also) return fail(TypeError, `${a(type)}${also && ` or ${a(also)}`}`)
  const least = LEAST[key]
  const whole = key !== 'maxAttempts' || value === Number.POSITIVE_INFINITY || Number.isInteger(value)
  if (least !== undefined && !((value as number) >= least && whole)) {
    return fail(RangeError, `${a(key === 'maxAttempts' ? 'whole number' : 'number of milliseconds')}, ${least} or more`)
  }
}

/**
 * Merges `options` over `defaults` key by key with `??`, and checks each value.
 * Throws a `TypeError`/`RangeError` that names the option; unknown names are only
 * reported through `debug`, since pages pass options straight from templates.
 */
export function resolveOptions<T extends PollJobOptions>(options: T): Resolved<T> {
  if (typeof options !== 'object' || !options) {
    throw new TypeError(`progress-polling: options must be an object, got ${options}`)
  }
  const merged: Record<string, unknown> = {}
  for (const key of Object.keys(defaults) as (keyof Defaults)[]) {
    const own = (options as ProgressPollingOptions)[key]
    const value = own ?? defaults[key]
    const problem = value === undefined ? undefined : check(key, value)
    if (problem) throw problem
    // Site-wide headers and labels are completed, not replaced, by a widget's own.
    merged[key] = key === 'headers' || key === 'labels' ? { ...(defaults[key] as object), ...(own as object) } : value
  }
  const unknown = Object.keys(options).filter((key) => !(key in defaults))
  if (unknown.length && merged.debug) console.warn('[progress-polling] ignoring unknown options:', unknown.join(', '))
  return merged as Resolved<T>
}
