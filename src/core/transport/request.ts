import { after } from '../../env/timers'
import { HttpError, invalidResponse, NetworkError, ProgressPollingError, RequestTimeoutError } from '../../errors'
import type { ResponseMeta } from '../../formats/types'
import { mapStatus } from '../../snapshot/status'
import type { JobHooks } from '../options'

/** What the server said last about the version of the status it sent: sent back to get a 304. */
export interface Validators {
  etag?: string | null
  lastModified?: string | null
}

/** A parsed JSON body (`undefined` when there was none), its text, and what came with it; `unchanged` for a 304. */
export interface Received {
  meta: ResponseMeta
  body?: unknown
  text?: string
  unchanged?: boolean
}

/**
 * A 5xx whose body is a job status that says the job failed or was cancelled is the job's
 * own answer (`{"status": "failed", "error": "Disk full"}`), not a server hiccup to retry.
 * JSend's `{"status": "error"}` is an envelope for any server error, so it does not count.
 */
function saysJobEnded(body: unknown): boolean {
  const { status, state } = Object(body) as Record<string, unknown>
  const word = typeof status === 'string' ? status : state
  if (typeof word !== 'string' || /^\s*error\s*$/i.test(word)) return false
  const mapped = mapStatus(word).status
  return mapped === 'failed' || mapped === 'cancelled'
}

const parseJson = (text: string): unknown => (text.trim() ? JSON.parse(text) : undefined)

/**
 * One GET of a status URL and its parsed JSON body. Sends `If-None-Match` /
 * `If-Modified-Since` from `validators` and updates them. Every failure is thrown as a
 * classified `ProgressPollingError`. Aborting `signal` (stop, destroy) aborts the request;
 * so does `timeout` (`Infinity`: never).
 */
export async function requestJson(
  url: string,
  { fetch: fetchOption, headers }: JobHooks,
  { credentials, timeout }: { credentials: RequestCredentials; timeout: number },
  validators: Validators,
  signal: AbortSignal,
): Promise<Received> {
  const controller = new AbortController()
  const abort = () => controller.abort()
  signal.addEventListener('abort', abort)
  let timedOut = false
  let responded = false
  const cancel = after(timeout, () => {
    timedOut = true
    abort()
  })
  const conditional: Record<string, string> = {}
  if (validators.etag) conditional['If-None-Match'] = validators.etag
  if (validators.lastModified) conditional['If-Modified-Since'] = validators.lastModified
  try {
    // Looked up at call time, so that a fetch patched later (msw, a test) is used.
    // `no-store` keeps the browser's cache out of the way: a 304 reaches us as a 304.
    const response = await (fetchOption ?? fetch)(url, {
      headers: { Accept: 'application/json', ...headers, ...conditional },
      credentials,
      cache: 'no-store',
      signal: controller.signal,
    })
    responded = true
    const { status, statusText } = response
    const meta: ResponseMeta = { status, headers: response.headers, url }
    if (status === 304) return { meta, unchanged: true }
    const type = response.headers.get('content-type') ?? ''
    if (/^\s*text\/event-stream/i.test(type)) {
      void response.body?.cancel().catch(() => {})
      throw invalidResponse("An event stream (read it with transport: 'sse' or 'auto')", url, type, '')
    }
    if (!response.ok) {
      if (status >= 500 && /json/i.test(type)) {
        const text = await response.text()
        let body: unknown
        try {
          body = parseJson(text)
        } catch {
          // Not a status: an HTTP error like any other.
        }
        if (saysJobEnded(body)) return { meta, body, text }
      } else {
        void response.body?.cancel().catch(() => {})
      }
      throw new HttpError(`HTTP ${status}${statusText && ` ${statusText}`} from ${url}`, url, { status, response })
    }
    const text = await response.text()
    let body: unknown
    try {
      // An empty body is for the format to judge: the HTTP-status format reads a bare 202.
      body = parseJson(text)
    } catch {
      throw invalidResponse('Response is not JSON', url, type, text)
    }
    validators.etag = response.headers.get('etag')
    validators.lastModified = response.headers.get('last-modified')
    return { meta, body, text }
  } catch (cause) {
    if (cause instanceof ProgressPollingError) throw cause
    if (timedOut) {
      throw new RequestTimeoutError(
        responded
          ? `The response from ${url} began but did not end within ${timeout} ms (requestTimeout)`
          : `No response from ${url} within ${timeout} ms (requestTimeout)`,
        url,
        { timeout },
      )
    }
    throw new NetworkError(`Network error while polling ${url}: ${(cause as Error)?.message ?? cause}`, url, { cause })
  } finally {
    cancel()
    signal.removeEventListener('abort', abort)
  }
}
