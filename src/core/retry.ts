import { HttpError, NetworkError, type ProgressPollingError, RequestTimeoutError } from '../errors'

/** The `retry` option in full. A number `n` is short for `{ limit: n }`. */
export interface RetryOptions {
  /**
   * Transient failures in a row after which polling gives up.
   * @default 5
   */
  limit?: number
  /**
   * The longest wait between two retries, in milliseconds (backoff is capped here).
   * @default 30000
   */
  backoffLimit?: number
  /**
   * The longest wait a server may ask for with `Retry-After`, `RateLimit-Reset` or a
   * `poll_after` / `retry_after` field, in milliseconds.
   * @default 120000
   */
  maxRetryAfter?: number
}

export type RetryPolicy = Required<RetryOptions>

/** HTTP statuses that mean "try again later", not "this will never work". */
const TRANSIENT_STATUSES = [408, 425, 429, 500, 502, 503, 504]

/** A failure worth retrying: the network, a timeout, or a server that is overloaded or restarting. */
export function isTransient(error: ProgressPollingError): boolean {
  return (
    error instanceof NetworkError ||
    error instanceof RequestTimeoutError ||
    (error instanceof HttpError && TRANSIENT_STATUSES.includes(error.status))
  )
}

/**
 * The wait before retry number `attempt` (1-based): the poll interval doubled per
 * attempt, capped at `backoffLimit`, with full jitter so that many clients that failed
 * together do not come back together.
 */
export function backoff(attempt: number, pollInterval: number, policy: RetryPolicy, random = Math.random): number {
  const ceiling = Math.min(policy.backoffLimit, pollInterval * 2 ** attempt)
  return Math.max(pollInterval, Math.round(ceiling * random()))
}

/** Seconds (`"120"`) or an HTTP date, as milliseconds from now; `undefined` when unreadable. */
function parseDelay(value: unknown, now: number): number | undefined {
  if (typeof value === 'number' || (typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value))) {
    const seconds = Number(value)
    // RateLimit-Reset is sometimes an epoch time in seconds rather than a delay.
    return (seconds > 1e9 ? seconds * 1000 - now : seconds * 1000) || 0
  }
  const date = typeof value === 'string' ? Date.parse(value) : Number.NaN
  return Number.isNaN(date) ? undefined : date - now
}

/**
 * The wait a server asked for, in milliseconds: the `Retry-After` header (seconds or an
 * HTTP date), `RateLimit-Reset`, or a `poll_after` / `retry_after` field (seconds) in a
 * JSON body. `undefined` when it asked for nothing.
 */
export function serverDelay(headers: Headers | undefined, body?: unknown, now = Date.now()): number | undefined {
  const { poll_after, retry_after } = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>
  for (const value of [headers?.get('retry-after'), headers?.get('ratelimit-reset'), poll_after, retry_after]) {
    const delay = value == null ? undefined : parseDelay(value, now)
    if (delay !== undefined) return Math.max(0, delay)
  }
  return undefined
}
