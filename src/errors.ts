import type { JobSnapshot } from './snapshot/types'

/** Base class of every error progress-polling reports, so one `instanceof` catches them all. */
export class ProgressPollingError extends Error {
  /** The status URL that was polled. */
  readonly url: string
  /** The latest snapshot, when the job had been seen. */
  snapshot?: JobSnapshot

  constructor(message: string, url: string, options?: { cause?: unknown }) {
    super(message, options)
    this.url = url
  }
}

/** The server reported that the job itself failed. `message` is the server's. */
export class JobFailedError extends ProgressPollingError {
  declare snapshot: JobSnapshot
  constructor(snapshot: JobSnapshot, url: string) {
    super(snapshot.error?.message || snapshot.message || `The job at ${url} failed`, url)
    this.snapshot = snapshot
  }
}

/** The server reported that the job was cancelled. */
export class JobCancelledError extends ProgressPollingError {
  declare snapshot: JobSnapshot
  constructor(snapshot: JobSnapshot, url: string) {
    super(snapshot.message || `The job at ${url} was cancelled`, url)
    this.snapshot = snapshot
  }
}

/** The status URL answered with an HTTP error status. */
export class HttpError extends ProgressPollingError {
  readonly status: number
  readonly response: Response
  constructor(response: Response, url: string) {
    super(`HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''} from ${url}`, url)
    this.status = response.status
    this.response = response
  }
}

/** The response was not a job status: not JSON, empty, or JSON of the wrong shape. */
export class InvalidResponseError extends ProgressPollingError {
  readonly contentType: string
  /** The first bytes of the body, to show what was received instead. */
  readonly bodyStart: string
  constructor(problem: string, url: string, contentType: string, body: string) {
    const start = body.length > 120 ? `${body.slice(0, 120)}…` : body
    super(`${problem} from ${url} (Content-Type: ${contentType || 'none'}; received: ${JSON.stringify(start)})`, url)
    this.contentType = contentType
    this.bodyStart = start
  }
}

/** The request never got a response (offline, DNS, CORS, connection reset). */
export class NetworkError extends ProgressPollingError {
  constructor(url: string, cause: unknown) {
    super(`Network error while polling ${url}: ${cause instanceof Error ? cause.message : String(cause)}`, url, {
      cause,
    })
  }
}

/** One request took longer than `requestTimeout`. */
export class RequestTimeoutError extends ProgressPollingError {
  readonly timeout: number
  constructor(url: string, timeout: number) {
    super(`No response from ${url} within ${timeout} ms (requestTimeout)`, url)
    this.timeout = timeout
  }
}

/** Transient failures went on longer than the `retry` option allows. `cause` is the last one. */
export class RetryLimitError extends ProgressPollingError {
  readonly attempts: number
  constructor(url: string, attempts: number, cause: ProgressPollingError) {
    super(`Gave up after ${attempts} failed attempts in a row: ${cause.message}`, url, { cause })
    this.attempts = attempts
  }
}

/** `done` rejects with this when `stop()` or `destroy()` ended polling before the job did. */
export class PollingStoppedError extends ProgressPollingError {
  constructor(url: string) {
    super(`Polling of ${url} was stopped before the job ended`, url)
  }
}

// Set on the prototypes by string, so that minified builds keep readable names.
for (const [name, type] of Object.entries({
  ProgressPollingError,
  JobFailedError,
  JobCancelledError,
  HttpError,
  InvalidResponseError,
  NetworkError,
  RequestTimeoutError,
  RetryLimitError,
  PollingStoppedError,
})) {
  type.prototype.name = name
}
