import {
  HttpError,
  InvalidResponseError,
  NetworkError,
  type ProgressPollingError,
  RequestTimeoutError,
} from '../errors'

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
      return { error: new HttpError(response, url) }
    }
    const text = await response.text()
    const type = response.headers.get('content-type') ?? ''
    if (text.trim() === '')
      return { error: new InvalidResponseError(`Empty response (HTTP ${response.status})`, url, type, text) }
    try {
      return { body: JSON.parse(text), response }
    } catch {
      return { error: new InvalidResponseError('Response is not JSON', url, type, text) }
    }
  } catch (cause) {
    if (timedOut) return { error: new RequestTimeoutError(url, settings.timeout) }
    return { error: new NetworkError(url, cause) }
  } finally {
    clearTimeout(timer)
    signal.removeEventListener('abort', abort)
  }
}
