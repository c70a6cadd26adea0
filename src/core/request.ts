import { HttpError, invalidResponse, NetworkError, ProgressPollingError, RequestTimeoutError } from '../errors'

export interface RequestSettings {
  fetch: typeof fetch
  headers: Record<string, string>
  credentials: RequestCredentials
  timeout: number
}

/** What the server said last about the version of the status it sent: sent back to get a 304. */
export interface Validators {
  etag?: string | null
  lastModified?: string | null
}

/** A response and its parsed JSON body (`undefined` when it had none); `unchanged` for a 304. */
export interface Received {
  response: Response
  body?: unknown
  unchanged?: boolean
}

/**
 * One GET of the status URL and its parsed JSON body. Sends `If-None-Match` /
 * `If-Modified-Since` from `validators` and updates them. Every failure is thrown as a
 * classified `ProgressPollingError`. Aborting `signal` (stop, destroy) aborts the
 * request; so does `timeout`.
 */
export async function requestJson(
  url: string,
  { fetch, headers, credentials, timeout }: RequestSettings,
  validators: Validators,
  signal: AbortSignal,
): Promise<Received> {
  const controller = new AbortController()
  const abort = () => controller.abort()
  signal.addEventListener('abort', abort)
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    abort()
  }, timeout)
  const conditional: Record<string, string> = {}
  if (validators.etag) conditional['If-None-Match'] = validators.etag
  if (validators.lastModified) conditional['If-Modified-Since'] = validators.lastModified
  try {
    // `no-store` keeps the browser's cache out of the way: a 304 reaches us as a 304.
    const response = await fetch(url, {
      headers: { Accept: 'application/json', ...headers, ...conditional },
      credentials,
      cache: 'no-store',
      signal: controller.signal,
    })
    const { status, statusText } = response
    if (status === 304) return { response, unchanged: true }
    if (!response.ok) {
      void response.body?.cancel().catch(() => {})
      throw new HttpError(`HTTP ${status}${statusText && ` ${statusText}`} from ${url}`, url, { status, response })
    }
    const text = await response.text()
    let body: unknown
    try {
      // An empty body is for the format to judge: the HTTP-status format reads a bare 202.
      body = text.trim() ? JSON.parse(text) : undefined
    } catch {
      throw invalidResponse('Response is not JSON', url, response.headers.get('content-type'), text)
    }
    validators.etag = response.headers.get('etag')
    validators.lastModified = response.headers.get('last-modified')
    return { body, response }
  } catch (cause) {
    if (cause instanceof ProgressPollingError) throw cause
    throw timedOut
      ? new RequestTimeoutError(`No response from ${url} within ${timeout} ms (requestTimeout)`, url, { timeout })
      : new NetworkError(`Network error while polling ${url}: ${(cause as Error)?.message ?? cause}`, url, { cause })
  } finally {
    clearTimeout(timer)
    signal.removeEventListener('abort', abort)
  }
}
