import type { JobSnapshot } from './snapshot/types'

/** Base class of every error progress-polling reports, so one `instanceof` catches them all. */
export class ProgressPollingError extends Error {
  /** The status URL that was polled. */
  declare readonly url: string
  /**
   * The latest snapshot: what the widget shows for this error. When polling itself gave up,
   * its `status` is still the last one the server sent and `connection` is `'lost'`.
   */
  declare snapshot?: JobSnapshot

  /** `details` become properties of the error; `details.cause` is the standard `cause`. */
  constructor(message: string, url: string, details?: object) {
    super(message, details as ErrorOptions)
    Object.assign(this, details, { url })
  }
}

/** The server reported that the job itself failed. `message` is the server's. */
export class JobFailedError extends ProgressPollingError {
  declare snapshot: JobSnapshot
  /** The server's longer account of the failure, when it sent one: a traceback, a stack. */
  declare readonly detail?: string
}

/** The server reported that the job was cancelled. */
export class JobCancelledError extends ProgressPollingError {
  declare snapshot: JobSnapshot
}

/** The status URL, or an action's URL, answered with an HTTP error status. */
export class HttpError extends ProgressPollingError {
  declare readonly status: number
  declare readonly response: Response
  /** For a refused action (`respond`, `cancel`, `retry`): the answer's parsed JSON body, if any. */
  declare readonly body?: unknown
}

/** A 404 or 410 after the job had been seen: the server no longer knows it (it expired, or was deleted). */
export class JobVanishedError extends HttpError {}

/** A jobs tray's job left its list endpoint's answer before it ended, and its own status URL did not say how it ended. */
export class JobUnlistedError extends ProgressPollingError {}

/** A limit was reached: `maxAttempts`, `timeout`, `staleTimeout` or `startTimeout` (named in `limit`). */
export class PollingLimitError extends ProgressPollingError {
  declare readonly limit: 'maxAttempts' | 'timeout' | 'staleTimeout' | 'startTimeout'
}

/** The response was not a job status: not JSON, empty, or JSON of the wrong shape. */
export class InvalidResponseError extends ProgressPollingError {
  declare readonly contentType: string
  /** The first bytes of the body, to show what was received instead. */
  declare readonly bodyStart: string
}

/** The request never got a response (offline, DNS, CORS, connection reset). `cause` has the reason. */
export class NetworkError extends ProgressPollingError {}

/** One request took longer than `requestTimeout`. */
export class RequestTimeoutError extends ProgressPollingError {
  declare readonly timeout: number
}

/** Transient failures went on longer than the `retry` option allows. `cause` is the last one. */
export class RetryLimitError extends ProgressPollingError {
  declare readonly attempts: number
}

/** `done` rejects with this when `stop()` or `destroy()` ended polling before the job did. */
export class PollingStoppedError extends ProgressPollingError {}

// Set on the prototypes by string, so that minified builds keep readable names.
for (const [name, type] of Object.entries({
  ProgressPollingError,
  JobFailedError,
  JobCancelledError,
  HttpError,
  JobVanishedError,
  JobUnlistedError,
  PollingLimitError,
  InvalidResponseError,
  NetworkError,
  RequestTimeoutError,
  RetryLimitError,
  PollingStoppedError,
})) {
  type.prototype.name = name
}

/**
 * `error` as a `ProgressPollingError`: what reaches `onError` and `done` always is one.
 * Anything unexpected (a bug, a `RangeError` from a pathological body) is wrapped, with
 * the original as `cause`.
 */
export function asPollingError(error: unknown, url: string): ProgressPollingError {
  if (error instanceof ProgressPollingError) return error
  const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
  return new ProgressPollingError(`Unexpected ${what} while following ${url}`, url, { cause: error })
}

/** An `InvalidResponseError` that shows what was received: its content type and first bytes. */
export function invalidResponse(problem: string, url: string, type: string | null, body: string): InvalidResponseError {
  const bodyStart = body.length > 120 ? `${body.slice(0, 120)}…` : body
  const contentType = type ?? ''
  return new InvalidResponseError(
    `${problem} from ${url} (Content-Type: ${contentType || 'none'}): ${JSON.stringify(bodyStart)}`,
    url,
    { contentType, bodyStart },
  )
}
