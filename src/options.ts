import type { ProgressPollingError } from './errors'
import type { JobSnapshot } from './snapshot/types'
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
   * Transient failures in a row (network error, timeout, 5xx, 429) tolerated before
   * giving up. Each retry waits longer (exponential backoff with jitter).
   * @default 5
   */
  retry?: number
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
   * Replacements for any visible string of the widget.
   * @default {}
   * @example { succeeded: 'Import finished', eta: 'Remaining time' }
   */
  labels?: Partial<Labels>
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

type Check = (value: unknown) => string | undefined
const number =
  (min: number, what: string): Check =>
  (v) =>
    typeof v !== 'number' ? `must be a number (${what})` : v >= min ? undefined : `must be ${what}`
const type =
  (t: string): Check =>
  (v) =>
    typeof v === t ? undefined : `must be ${t === 'object' ? 'an' : 'a'} ${t}`
const checks: Partial<Record<keyof ProgressPollingOptions, Check>> = {
  url: (v) => (typeof v === 'string' || typeof v === 'function' ? undefined : 'must be a string or a function'),
  pollInterval: number(Number.MIN_VALUE, 'milliseconds greater than 0, e.g. 1000'),
  requestTimeout: number(Number.MIN_VALUE, 'milliseconds greater than 0, e.g. 10000'),
  autoHideDelay: number(0, 'milliseconds, 0 or more'),
  retry: (v) => (Number.isInteger(v) && (v as number) >= 0 ? undefined : 'must be a whole number, 0 or more'),
  title: type('string'),
  icon: type('string'),
  headers: type('object'),
  labels: type('object'),
}
for (const key of ['onStart', 'onProgress', 'onComplete', 'onError', 'fetch'] as const) checks[key] = type('function')

/**
 * Merges `options` over `defaults` key by key with `??`, and checks each value.
 * Throws a `TypeError`/`RangeError` that names the option; unknown names are only
 * reported through `debug`, since pages pass options straight from templates.
 */
export function resolveOptions<T extends PollJobOptions>(options: T): Resolved<T> {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(
      `progress-polling: options must be an object, got ${options === null ? 'null' : typeof options}`,
    )
  }
  const merged: Record<string, unknown> = {}
  for (const key of Object.keys(defaults) as (keyof Defaults)[]) {
    const own = (options as ProgressPollingOptions)[key]
    const value = own ?? defaults[key]
    const problem = value === undefined ? undefined : checks[key]?.(value)
    if (problem) {
      // A number out of its range is a RangeError; a value of the wrong type is a TypeError.
      const range = typeof value === 'number' && typeof defaults[key] === 'number'
      throw new (range ? RangeError : TypeError)(
        `progress-polling: the \`${key}\` option ${problem}, got ${range ? value : typeof value}`,
      )
    }
    // Site-wide headers and labels are completed, not replaced, by a widget's own.
    merged[key] = key === 'headers' || key === 'labels' ? { ...defaults[key], ...(own as object) } : value
  }
  const unknown = Object.keys(options).filter((key) => !(key in defaults))
  if (unknown.length && merged.debug) console.warn('[progress-polling] ignoring unknown options:', unknown.join(', '))
  return merged as Resolved<T>
}
