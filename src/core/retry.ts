import { HttpError, NetworkError, type ProgressPollingError, RequestTimeoutError } from '../errors'

/** HTTP statuses that mean "try again later", not "this will never work". */
const TRANSIENT_STATUSES = [408, 425, 429, 500, 502, 503, 504]

/** The longest wait between two retries, in milliseconds. */
export const BACKOFF_LIMIT = 30000

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
 * attempt, capped at `BACKOFF_LIMIT`, with full jitter so that many clients that failed
 * together do not come back together.
 */
export function retryDelay(attempt: number, pollInterval: number, random = Math.random): number {
  const ceiling = Math.min(BACKOFF_LIMIT, pollInterval * 2 ** attempt)
  return Math.max(pollInterval, Math.round(ceiling * random()))
}
