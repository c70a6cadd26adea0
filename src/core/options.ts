// The options of one job, in three parts: the spec (data: what to poll and how, which can
// be saved, posted to another tab and restored), the hooks (functions and secrets: never
// stored or posted), and the callbacks (each consumer's own). One defaults object serves
// them all, and the view's options too (`ProgressPolling.defaults` is this object); one
// checker validates every value at the door.
import type { ProgressPollingError } from '../errors'
import type { ResponseMeta } from '../formats/types'
import type { JobSnapshot, SnapshotFields } from '../snapshot/types'
import type { RetryOptions, RetryPolicy } from './retry'
import { idOf, type JobSource, resolveEventsUrl, resolveUrl } from './source'

/** Options of the headless poller, `pollJob`, and of every job. */
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
   * Adaptive polling: while the status does not change, the wait grows from `pollInterval`
   * toward this (×1.5 at each unchanged answer), and snaps back at the first change. What the
   * server asks for (`Retry-After`, `poll_after`) still wins. By default, no growth.
   * @default undefined
   * @example 5000
   */
  maxPollInterval?: number
  /**
   * How the job's status arrives: `'poll'` requests the status URL; `'sse'` reads a stream of
   * Server-Sent Events whose `data:` lines are status bodies (at `eventsUrl`); `'auto'` uses
   * the stream and falls back to polling when it fails before its first event, answers
   * anything but a 200 `text/event-stream`, or stays silent for `sseTimeout` (a buffering
   * proxy), trying the stream again at most every five minutes.
   * @default 'poll'
   */
  transport?: 'poll' | 'sse' | 'auto'
  /**
   * The stream of Server-Sent Events, when it is not the status URL: a URL, a template in
   * which `{id}` is the job's URL-encoded id (for a job given by its id), or a function of
   * the status URL.
   * @default undefined
   * @example '/jobs/{id}/events'
   */
  eventsUrl?: string | ((url: string) => string)
  /**
   * With `transport: 'auto'`, milliseconds to wait for a stream's first event (or comment)
   * before falling back to polling: a proxy that buffers the stream sends nothing.
   * @default 5000
   */
  sseTimeout?: number
  /**
   * Milliseconds before one request is aborted and counted as a transient failure.
   * `Infinity` never aborts.
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
   * Milliseconds, from the first request, during which a 404 means "not created yet" rather
   * than "no such job": some backends store a job a moment after the request that started
   * it has answered. The job shows as pending meanwhile. A 404 after the job was seen ends
   * polling at once.
   * @default 5000
   */
  notFoundGrace?: number
  /**
   * Which server format to read: `'auto'` detects it from the first response (and again
   * when a 202 sends polling to another URL); or a name: `'default'`, `'generic'`,
   * `'celery-progress'`, `'sidekiq-status'`, `'http-status'`, and, once
   * `progress-polling/formats` is imported, `'celery'`, `'activejob-status'`, `'rq'`,
   * `'bullmq'`, `'laravel-batch'`, `'laravel-job-status'`, `'google-lro'`, `'azure'`,
   * `'ogc'`, `'github-actions'`.
   * @default 'auto'
   */
  format?: string
  /**
   * Reads any other body: returns the snapshot fields it says (`status` is any status
   * word), merged over what the detected format read. `response` has the HTTP `status`,
   * `headers` and `url`.
   * @default undefined
   * @example (body) => ({ status: body.job.state, percent: body.job.pct, message: body.job.note })
   */
  parse?: (body: unknown, response: ResponseMeta) => Partial<SnapshotFields> | undefined
  /**
   * The stage names of a stage-based job, in order: the widget shows them as a stepper,
   * and without a percent from the server the bar shows the stages done.
   * @default undefined
   * @example ['uploading', 'indexing', 'analyzing']
   */
  steps?: string[]
  /**
   * Send no request while the tab is hidden; poll on return once an interval has passed.
   * (Offline is always a pause: a request could not get through.)
   * @default true
   */
  pauseWhenHidden?: boolean
  /**
   * Extra request headers, e.g. an auth or CSRF token. Never saved or sent to other tabs.
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
   * Where a waiting job's answer is POSTed as JSON `{ "choice": id }` (`respond(id)`, the
   * widget's choice buttons): a URL, a template in which `{id}` is the job's URL-encoded id,
   * or a function of the id. For a job given by its status URL, the id is the one its status
   * body gives (`job_id`, `id`, `task_id`, `jid`). Without it, a `respond_url` in the status
   * body is used (only on the status URL's origin or one of `actionOrigins`). The request
   * carries `headers` and `credentials`, e.g. a CSRF token.
   * @default undefined
   * @example '/api/jobs/{id}/respond/'
   */
  respondUrl?: string | ((id: string) => string)
  /**
   * Where `cancel()` (the widget's cancel button, offered while the job is pending or
   * running) POSTs, with no body; like `respondUrl`, or a `cancel_url` in the status body.
   * @default undefined
   * @example '/api/jobs/{id}/cancel/'
   */
  cancelUrl?: string | ((id: string) => string)
  /**
   * Where `retry()` (the widget's retry button, offered after a failure) POSTs, with no
   * body; like `respondUrl`, or a `retry_url` in the status body. When the answer names a
   * new job (a `Location` header, a `status_url`, or a `job_id` put into the `url`
   * template), that job is followed as a new run; otherwise the same URL is followed again.
   * @default undefined
   * @example '/api/jobs/{id}/retry/'
   */
  retryUrl?: string | ((id: string) => string)
  /**
   * Origins besides the status URL's own that action URLs sent by the server (in a status
   * body, or a retried job's new status URL) may point to. Any other is refused, so that a
   * status body cannot send the request headers (a CSRF token) elsewhere.
   * @default []
   * @example ['https://jobs.example.com']
   */
  actionOrigins?: string[]
  /**
   * Keep the job across reloads and visits: its spec (never `headers`, `fetch` or callbacks),
   * its start time and last status, percent and step are saved in `localStorage` under a key
   * that starts with `progress-polling:`, and `ProgressPolling.restore()` follows it again.
   * `true` saves it under its status URL; a string is the key it is saved under, so that a page
   * can restore that one job (`restore({ key })`). The entry is removed when the job ends.
   * @default false
   * @example 'video-analysis'
   */
  persist?: boolean | string
  /**
   * Milliseconds a saved job is kept, counted from its last save: a job whose status still
   * changes keeps its entry alive.
   * @default 1800000
   */
  persistFor?: number
  /**
   * One poller per browser: the tabs following the same status URL elect one that polls (or
   * streams) and posts every snapshot to the others, which request nothing. When it closes or
   * is hidden, another takes over from the last snapshot. `false`: this tab polls by itself.
   * @default true
   */
  shareAcrossTabs?: boolean
  /**
   * Log each poll and state change to the console, prefixed with `[progress-polling]`.
   * @default false
   */
  debug?: boolean
  /** Called once, on the first response: the job is known. */
  onStart?: (snapshot: JobSnapshot) => void
  /** Called on every response that changed the job's snapshot. */
  onProgress?: (snapshot: JobSnapshot) => void
  /** Called exactly once, when the job succeeded. */
  onComplete?: (snapshot: JobSnapshot) => void
  /** Called exactly once, when the job failed or was cancelled, or polling gave up. */
  onError?: (error: ProgressPollingError) => void
}

/** What a job is, as data: saved, posted to other tabs and restored as it is. */
export interface JobSpec {
  /** The status URL, as given. */
  url: string
  pollInterval: number
  maxPollInterval?: number
  transport: 'poll' | 'sse' | 'auto'
  /** The stream's URL, resolved (the status URL when it is not set). */
  eventsUrl?: string
  sseTimeout: number
  requestTimeout: number
  retry: RetryPolicy
  maxAttempts: number
  timeout: number
  timeoutMessage?: string
  staleTimeout: number
  startTimeout: number
  notFoundGrace: number
  format: string
  steps?: string[]
  pauseWhenHidden: boolean
  credentials: RequestCredentials
  persist: boolean | string
  persistFor: number
  shareAcrossTabs: boolean
  debug: boolean
}

/** What a job does that is not data: never saved or posted. */
export interface JobHooks {
  fetch?: typeof fetch
  headers: Record<string, string>
  parse?: PollJobOptions['parse']
}

/**
 * Where one consumer's actions go: its own options, never saved or posted. `id` is the
 * job's id when the source was one; `url` the status URL template, to follow a retried
 * job by the id its answer names.
 */
export interface Actions extends Pick<PollJobOptions, 'respondUrl' | 'cancelUrl' | 'retryUrl' | 'url'> {
  origins: string[]
  id?: string
}

/** One consumer's callbacks. */
export type Callbacks = Pick<PollJobOptions, 'onStart' | 'onProgress' | 'onComplete' | 'onError'>

/** Options that have no default: a resolved options object may lack them. */
type Unset =
  | 'url'
  | 'timeoutMessage'
  | 'parse'
  | 'steps'
  | 'fetch'
  | 'maxPollInterval'
  | 'eventsUrl'
  | 'respondUrl'
  | 'cancelUrl'
  | 'retryUrl'
  | keyof Callbacks

/** Options merged over the defaults: every option with a default is present. */
export type Resolved<T> = { [K in Exclude<keyof T, Unset>]-?: Exclude<T[K], undefined> } & Pick<
  T,
  Extract<keyof T, Unset>
>

/** Every option of `T`, with its default value, or `undefined` for those that have none. */
export type Defaults<T> = { [K in keyof Required<T>]: Required<T>[K] | undefined }

/**
 * The defaults of every option, the view's included. A site sets its own once
 * (`ProgressPolling.defaults.url = '/jobs/{id}/'`); each job merges its options over this
 * object with `??`.
 */
export const defaults: Defaults<PollJobOptions> & Record<string, unknown> = {
  url: undefined,
  pollInterval: 500,
  maxPollInterval: undefined,
  transport: 'poll',
  eventsUrl: undefined,
  sseTimeout: 5000,
  requestTimeout: 10000,
  retry: 5,
  maxAttempts: Infinity,
  timeout: Infinity,
  timeoutMessage: undefined,
  staleTimeout: Infinity,
  startTimeout: Infinity,
  notFoundGrace: 5000,
  format: 'auto',
  parse: undefined,
  steps: undefined,
  pauseWhenHidden: true,
  headers: {},
  credentials: 'same-origin',
  fetch: undefined,
  respondUrl: undefined,
  cancelUrl: undefined,
  retryUrl: undefined,
  actionOrigins: [],
  persist: false,
  persistFor: 1800000,
  shareAcrossTabs: true,
  debug: false,
  onStart: undefined,
  onProgress: undefined,
  onComplete: undefined,
  onError: undefined,
}

/** The `retry` policy's own defaults. */
const RETRY: RetryPolicy = { limit: 5, backoffLimit: 30000, maxRetryAfter: 120000 }

// What each option must be: the type of its default (options with no default say theirs
// here, or are functions); objects of strings; numbers with their least value.
const UNSET: Record<string, string> = {
  url: 'string',
  timeoutMessage: 'string',
  steps: 'object',
  maxPollInterval: 'number',
  eventsUrl: 'string',
  respondUrl: 'string',
  cancelUrl: 'string',
  retryUrl: 'string',
  locale: 'string',
}
const STRINGS = ['headers', 'labels', 'stageLabels']
const LEAST: Record<string, number> = {
  pollInterval: 1,
  maxPollInterval: 1,
  sseTimeout: 1,
  requestTimeout: 1,
  autoHideDelay: 0,
  maxAttempts: 1,
  timeout: 1,
  staleTimeout: 1,
  startTimeout: 1,
  notFoundGrace: 0,
  persistFor: 1,
  limit: 0,
  backoffLimit: 0,
  maxRetryAfter: 0,
}
const WHOLE = ['maxAttempts', 'limit']

/** The type an option's value must have (`'function'` for callbacks and hooks). */
export const typeOf = (key: string): string => {
  const value = key in RETRY ? 0 : defaults[key]
  return value === undefined ? (UNSET[key] ?? 'function') : typeof value
}

const a = (word: string) => `${/^[aeiou]/.test(word) ? 'an' : 'a'} ${word}`
const shown = (value: unknown) =>
  typeof value === 'string' ? JSON.stringify(value) : /number|boolean/.test(typeof value) ? value : typeof value

/** Checks one option's value: the error to throw, or `undefined` when it is right. */
function check(key: string, value: unknown, formats: string[]): Error | undefined {
  const type = typeOf(key)
  const fail = (Type: typeof TypeError, what: string) =>
    Type(`progress-polling: the \`${key}\` option must be ${what}, got ${shown(value)}`)
  const list = key === 'steps' ? 'stage names' : key === 'actionOrigins' ? 'origins (https://host:port)' : ''
  if (list && !(Array.isArray(value) && value.every((item) => typeof item === 'string'))) {
    return fail(TypeError, `an array of ${list}`)
  }
  const also = /^(url|\w+Url)$/.test(key) ? 'function' : key === 'retry' ? 'object' : key === 'persist' ? 'string' : ''
  if (typeof value !== type && typeof value !== also) return fail(TypeError, `${a(type)}${also && ` or ${a(also)}`}`)
  if (STRINGS.includes(key) && Object.values(value as object).some((v) => typeof v !== 'string')) {
    return fail(TypeError, 'an object whose values are strings')
  }
  if (key === 'persist' && value === '') return fail(TypeError, 'true, or the key to save the job under')
  if (key === 'transport' && !/^(poll|sse|auto)$/.test(value as string))
    return fail(TypeError, "'poll', 'sse' or 'auto'")
  if (key === 'format' && value !== 'auto' && !formats.includes(value as string)) {
    return fail(
      TypeError,
      `a known format: auto, ${formats.join(', ')} (import 'progress-polling/formats' for the others), or read any body with the \`parse\` option`,
    )
  }
  if (key === 'retry') {
    const fields = typeof value === 'number' ? { limit: value } : (value as object)
    for (const [field, v] of Object.entries(fields)) {
      const problem = field in RETRY ? check(field, v, formats) : undefined
      if (problem) return new (problem.constructor as typeof TypeError)(problem.message.replace('`', '`retry.'))
    }
  }
  const least = LEAST[key]
  const whole = !WHOLE.includes(key) || value === Infinity || Number.isInteger(value)
  if (least !== undefined && !((value as number) >= least && whole)) {
    const unit = WHOLE.includes(key) ? 'whole number' : 'number of milliseconds'
    return fail(RangeError, `${a(unit)}, ${least} or more`)
  }
}

/**
 * Merges `options` over `defaults` key by key with `??`, and checks each value against
 * `formats` (the known format names). Throws a `TypeError`/`RangeError` that names the
 * option; unknown names are only reported through `debug`, since pages pass options
 * straight from templates.
 */
export function resolveOptions<T extends PollJobOptions>(options: T, formats: string[]): Resolved<T> {
  if (typeof options !== 'object' || !options) {
    throw new TypeError(`progress-polling: options must be an object, got ${options}`)
  }
  const merged: Record<string, unknown> = {}
  for (const key of Object.keys(defaults)) {
    const own = (options as Record<string, unknown>)[key]
    const value = own ?? defaults[key]
    const problem = value === undefined ? undefined : check(key, value, formats)
    if (problem) throw problem
    // Site-wide headers and labels are completed, not replaced, by a job's own.
    merged[key] = STRINGS.includes(key) ? { ...(defaults[key] as object), ...(own as object) } : value
  }
  const unknown = Object.keys(options).filter((key) => !(key in defaults))
  if (unknown.length && merged.debug) console.warn('[progress-polling] ignoring unknown options:', unknown.join(', '))
  return merged as Resolved<T>
}

/**
 * The spec and hooks of the job of `source` (its status URL, or its id put into the `url`
 * template) from resolved options. Throws a `TypeError` that says how to fix a source that
 * gives no URL, and, without a `fetch` option, where the global fetch could only fail: there
 * is none, or the URL is relative and there is no page to resolve it against (Node).
 */
export function splitOptions(
  source: JobSource,
  o: Resolved<PollJobOptions>,
): { spec: JobSpec; hooks: JobHooks; actions: Actions } {
  const url = resolveUrl(source, o.url)
  if (!o.fetch) {
    if (typeof fetch !== 'function') {
      throw new TypeError('progress-polling: no global fetch here; pass one as the `fetch` option')
    }
    try {
      new URL(url, globalThis.location?.href)
    } catch {
      throw new TypeError(
        `progress-polling: "${url}" is relative and there is no page to resolve it against (Node): pass an absolute URL (http://…), or a \`fetch\` option`,
      )
    }
  }
  // Whatever is neither a hook nor a callback is the spec.
  const {
    url: _,
    fetch: fetchHook,
    headers,
    parse,
    onStart,
    onProgress,
    onComplete,
    onError,
    retry,
    eventsUrl,
    respondUrl,
    cancelUrl,
    retryUrl,
    actionOrigins,
    ...data
  } = o
  const spec = {
    ...data,
    url,
    eventsUrl: resolveEventsUrl(source, url, eventsUrl),
    retry: { ...RETRY, ...(typeof retry === 'number' ? { limit: retry } : retry) },
  }
  const actions = { respondUrl, cancelUrl, retryUrl, url: o.url, origins: actionOrigins, id: idOf(source) }
  return { spec, hooks: { fetch: fetchHook, headers, parse }, actions }
}
