import { HttpError, invalidResponse, NetworkError, ProgressPollingError, RequestTimeoutError } from '../errors'

export interface RequestSettings {
  fetch: typeof fetch
  headers: Record<string, string>
  credentials: RequestCredentials
  timeout: number
}

/**
 * One GET of the status URL and its parsed JSON body. Every failure is thrown as a
 * classified `ProgressPollingError`. Aborting `signal` (stop, destroy) aborts the
 * request; so does `timeout`.
 */
export async function requestJson(
  url: string,
  { fetch, headers, credentials, timeout }: RequestSettings,
  signal: AbortSignal,
): Promise<{ body: unknown; response: Response }> {
  const controller = new AbortController()
  const abort = () => controller.abort()
  signal.addEventListener('abort', abort)
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    abort()
  }, timeout)
  try {
    const response = await fetch(url, {
      headers: { Accept: 'application/json', ...headers },
      credentials,
      cache: 'no-store',
      signal: controller.signal,
    })
    const { status, statusText } = response
    if (!response.ok) {
      void response.body?.cancel().catch(() => {})
      throw new HttpError(`HTTP ${status}${statusText && ` ${statusText}`} from ${url}`, url, { status, response })
    }
    const text = await response.text()
    const type = response.headers.get('content-type')
    if (!text.trim()) throw invalidResponse(`Empty response (HTTP ${status})`, url, type, text)
    try {
      return { body: JSON.parse(text), response }
    } catch {
      throw invalidResponse('Response is not JSON', url, type, text)
    }
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
