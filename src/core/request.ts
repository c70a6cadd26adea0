import { HttpError, invalidResponse, NetworkError, type ProgressPollingError, RequestTimeoutError } from '../errors'

export interface RequestSettings {
  fetch: typeof fetch
  headers: Record<string, string>
  credentials: RequestCredentials
  timeout: number
}

/** A parsed JSON body and the response it came in, or the error that stands instead. */
export type Outcome = { body: unknown; response: Response } | { error: ProgressPollingError }

/**
 * One GET of the status URL. Never throws: every failure comes back as a classified
 * error. Aborting `signal` (stop, destroy) aborts the request; `timeout` aborts it too.
 */
export async function requestJson(url: string, settings: RequestSettings, signal: AbortSignal): Promise<Outcome> {
  const controller = new AbortController()
  const abort = () => controller.abort()
  signal.addEventListener('abort', abort)
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    controller.abort()
  }, settings.timeout)
  try {
    const response = await settings.fetch(url, {
      headers: { Accept: 'application/json', ...settings.headers },
      credentials: settings.credentials,
      cache: 'no-store',
      signal: controller.signal,
    })
    if (!response.ok) {
      void response.body?.cancel().catch(() => {})
      const { status, statusText } = response
      const message = `HTTP ${status}${statusText ? ` ${statusText}` : ''} from ${url}`
      return { error: new HttpError(message, url, { status, response }) }
    }
    const text = await response.text()
    const type = response.headers.get('content-type') ?? ''
    if (text.trim() === '')
      return { error: invalidResponse(`Empty response (HTTP ${response.status})`, url, type, text) }
    try {
      return { body: JSON.parse(text), response }
    } catch {
      return { error: invalidResponse('Response is not JSON', url, type, text) }
    }
  } catch (cause) {
    const { timeout } = settings
    return {
      error: timedOut
        ? new RequestTimeoutError(`No response from ${url} within ${timeout} ms (requestTimeout)`, url, { timeout })
        : new NetworkError(`Network error while polling ${url}: ${(cause as Error)?.message ?? cause}`, url, { cause }),
    }
  } finally {
    clearTimeout(timer)
    signal.removeEventListener('abort', abort)
  }
}
