// Server-Sent Events, and `auto`: the stream, with polling as the fallback. Loaded only by a
// job whose `transport` asks for it (a bundled app that polls does not download this).
//
// Every `data:` of an unnamed event is a status body, read by the same formats and reducer
// as a polled one. A terminal body ends the run, whose signal closes the stream: nothing
// reconnects. A stream that ends or breaks is reopened with the last event id (the
// `Last-Event-ID` header, or `?lastEventId=` where a header cannot be sent), after the
// server's `retry:` for a clean end, with backoff for a failure. A hidden tab keeps its
// stream (an idle stream costs nothing); going offline closes it, coming back reopens it.

import type { presence } from '../../env/presence'
import type { after } from '../../env/timers'
import type {
  HttpError,
  InvalidResponseError,
  invalidResponse,
  JobVanishedError,
  NetworkError,
  ProgressPollingError,
  RetryLimitError,
} from '../../errors'
import type { backoff, isTransient, serverDelay } from '../retry'
import { createEventStreamParser } from './event-stream'
import type { poll } from './poll'
import type { Transport, TransportContext, TransportEvent } from './types'

/**
 * What the streams use of the rest of the library, handed over by the job that loads them:
 * imported here, it would become a chunk of its own that every app loads with the entry.
 */
export interface Kit {
  after: typeof after
  presence: typeof presence
  poll: typeof poll
  backoff: typeof backoff
  isTransient: typeof isTransient
  serverDelay: typeof serverDelay
  invalidResponse: typeof invalidResponse
  HttpError: typeof HttpError
  InvalidResponseError: typeof InvalidResponseError
  JobVanishedError: typeof JobVanishedError
  NetworkError: typeof NetworkError
  RetryLimitError: typeof RetryLimitError
}
let kit: Kit

/** After falling back to polling, how long `auto` polls before it tries the stream again. */
const STREAM_AGAIN = 5 * 60_000
/** The reconnection time until the server sets one with `retry:`. */
const RECONNECT = 3000

/** What one connection gives: an event's data, or a sign of life (a comment, a named event). */
type Item = { data: string } | { alive: true }

/** Why `auto` leaves the stream for polling. */
class FallBack extends Error {}

/** A queue that a connection pushes into and the transport reads from, in order. */
function queue<T>() {
  const items: T[] = []
  let wake = () => {}
  let ended: { error?: unknown } | undefined
  return {
    push(item: T) {
      items.push(item)
      wake()
    },
    end(error?: unknown) {
      ended ??= { error }
      wake()
    },
    async *[Symbol.asyncIterator](): AsyncGenerator<T> {
      for (;;) {
        if (items.length) yield items.shift() as T
        else if (ended) {
          if (ended.error) throw ended.error
          return
        } else await new Promise<void>((resolve) => (wake = resolve))
      }
    },
  }
}

interface Connection {
  items: AsyncIterable<Item>
  /** The last event id dispatched on this connection (or the one it resumed from). */
  lastId(): string
  /** The response's headers (none for a native EventSource). */
  headers: Headers
  /** The reconnection time the server asked for, if it did. */
  retry?: number
  close(): void
}

/** Opens the stream at `url` after `lastId`: native EventSource when it can do the job, else fetch. */
function connect(ctx: TransportContext, url: string, lastId: string): Connection {
  const { hooks, spec } = ctx
  const q = queue<Item>()
  const connection: Connection = { items: q, lastId: () => lastId, headers: new Headers(), close: () => q.end() }
  const native =
    typeof EventSource === 'function' &&
    !hooks.fetch &&
    !Object.keys(hooks.headers).length &&
    spec.credentials !== 'omit'
  if (native) {
    // A new EventSource cannot send Last-Event-ID: the id goes in the query.
    const target = lastId ? `${url}${url.includes('?') ? '&' : '?'}lastEventId=${encodeURIComponent(lastId)}` : url
    const source = new EventSource(target, { withCredentials: spec.credentials === 'include' })
    let heard = false
    source.onmessage = (event) => {
      heard = true
      lastId = event.lastEventId
      q.push({ data: event.data })
    }
    // Native reconnection cannot be told apart from a refusal (non-200, another type), and
    // gives up for good on the latter: we close it and reconnect by our own rules.
    source.onerror = () => {
      source.close()
      q.end(heard ? undefined : new kit.NetworkError(`The event stream at ${url} failed or was refused`, url))
    }
    connection.close = () => {
      source.close()
      q.end()
    }
    return connection
  }
  const controller = new AbortController()
  connection.close = () => {
    controller.abort()
    q.end()
  }
  void (async () => {
    const headers: Record<string, string> = { Accept: 'text/event-stream', ...hooks.headers }
    if (lastId) headers['Last-Event-ID'] = lastId
    // A response's headers must come within requestTimeout; the stream itself may take its time.
    const cancel = kit.after(spec.requestTimeout, () => controller.abort())
    let response: Response
    try {
      response = await (hooks.fetch ?? fetch)(url, {
        headers,
        credentials: spec.credentials,
        cache: 'no-store',
        signal: controller.signal,
      })
    } catch (cause) {
      return q.end(new kit.NetworkError(`Network error while opening the event stream at ${url}`, url, { cause }))
    } finally {
      cancel()
    }
    const { status } = response
    const type = response.headers.get('content-type') ?? ''
    connection.headers = response.headers
    if (status !== 200 || !/^\s*text\/event-stream/i.test(type)) {
      void response.body?.cancel().catch(() => {})
      return q.end(
        status !== 200
          ? new kit.HttpError(`HTTP ${status} from the event stream at ${url}`, url, { status, response })
          : kit.invalidResponse('Not an event stream', url, type, ''),
      )
    }
    const parser = createEventStreamParser(
      {
        onEvent: ({ type, data }) => q.push(type === 'message' ? { data } : { alive: true }),
        onComment: () => q.push({ alive: true }),
        onRetry: (ms) => {
          connection.retry = ms
        },
      },
      lastId,
    )
    connection.lastId = () => parser.lastId
    const decoder = new TextDecoder()
    try {
      const reader = (response.body as ReadableStream<Uint8Array>).getReader()
      for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        parser.feed(decoder.decode(value, { stream: true }))
      }
      q.end()
    } catch (cause) {
      q.end(new kit.NetworkError(`The event stream at ${url} broke off`, url, { cause }))
    }
  })()
  return connection
}

/**
 * Reads the stream until the run ends. With `fallback` (transport `auto`), throws `FallBack`
 * when it cannot be used: it fails or stays silent for `sseTimeout` before its first event,
 * or is refused for good later.
 */
async function* stream(ctx: TransportContext, fallback: boolean, url: string): AsyncGenerator<TransportEvent> {
  const { spec, signal, log } = ctx
  const { retry: policy, pollInterval } = spec
  let lastId = ''
  let wait = RECONNECT
  let failures = 0
  let heard = false
  let last: string | undefined

  for (;;) {
    // Stopped while the stream was loading or waiting: open nothing.
    if (signal.aborted) return
    if (!ctx.online()) {
      yield { type: 'paused' }
      while (!ctx.online() && (await ctx.sleep(Infinity, true)) !== 'abort');
      if (signal.aborted) return
      yield { type: 'resumed' }
    }
    log('stream', url, lastId && `after id ${lastId}`)
    const connection = connect(ctx, url, lastId)
    // Offline closes the stream; the loop above waits for the way back.
    const unsubscribe = kit.presence().subscribe(() => {
      if (!ctx.online()) connection.close()
    })
    const close = () => connection.close()
    signal.addEventListener('abort', close)
    let silent = false
    const watchdog =
      fallback && !heard
        ? kit.after(spec.sseTimeout, () => {
            silent = true
            connection.close()
          })
        : () => {}
    let failure: unknown
    let got = false
    try {
      for await (const item of connection.items) {
        watchdog()
        if ('alive' in item) {
          yield { type: 'unchanged' }
          continue
        }
        let body: unknown
        try {
          body = JSON.parse(item.data)
        } catch {
          throw kit.invalidResponse('An event whose data is not JSON', url, 'text/event-stream', item.data)
        }
        got = heard = true
        failures = 0
        lastId = connection.lastId()
        if (item.data === last) yield { type: 'unchanged' }
        else {
          last = item.data
          yield { type: 'body', body, meta: { status: 200, headers: connection.headers, url } }
        }
        if (signal.aborted) return
      }
    } catch (error) {
      failure = error
    } finally {
      watchdog()
      unsubscribe()
      signal.removeEventListener('abort', close)
      connection.close()
    }
    if (signal.aborted) return
    lastId = connection.lastId() || lastId
    if (connection.retry !== undefined) wait = Math.min(Math.max(connection.retry, pollInterval), policy.maxRetryAfter)
    if (failure instanceof kit.InvalidResponseError && got) throw failure
    if (!ctx.online()) continue
    const error = failure as ProgressPollingError | undefined
    const status = error instanceof kit.HttpError ? error.status : 0
    if (fallback && (!heard || (error && !kit.isTransient(error)))) {
      throw new FallBack(silent ? `nothing within sseTimeout (${spec.sseTimeout} ms)` : (error?.message ?? 'it ended'))
    }
    if (!error) {
      // A clean end: the server closed the stream. Reopen it after the reconnection time.
      log('stream ended; reopening in', wait, 'ms')
      await ctx.sleep(wait)
      continue
    }
    if (heard && (status === 404 || status === 410)) {
      throw new kit.JobVanishedError(
        `The job no longer exists: HTTP ${status} from ${url} after it had been seen`,
        spec.url,
        {
          status,
          response: (error as HttpError).response,
        },
      )
    }
    if (status === 204 || !kit.isTransient(error)) throw error
    if (++failures >= policy.limit) {
      throw new kit.RetryLimitError(`Gave up after ${failures} failed attempts in a row: ${error.message}`, spec.url, {
        attempts: failures,
        cause: error,
      })
    }
    const asked = kit.serverDelay((error as HttpError).response?.headers)
    const delay =
      asked === undefined
        ? kit.backoff(failures, pollInterval, policy)
        : Math.min(Math.max(asked, pollInterval), policy.maxRetryAfter)
    yield { type: 'retrying', error, attempt: failures, limit: policy.limit - 1, delayMs: delay }
    await ctx.sleep(delay)
  }
}

/** `transport: 'sse'`: the stream only, retried with the retry policy, then given up like polling. */
const sse: Transport = (ctx) => stream(ctx, false, ctx.spec.eventsUrl ?? ctx.spec.url)

/**
 * `transport: 'auto'`: the stream; polling when the stream cannot be used, and the stream
 * again after a while. A status URL that answers a poll with an event stream is streamed.
 */
const auto: Transport = async function* (ctx) {
  let url = ctx.spec.eventsUrl ?? ctx.spec.url
  for (;;) {
    try {
      return yield* stream(ctx, true, url)
    } catch (error) {
      if (!(error instanceof FallBack)) throw error
      ctx.log('polling instead of the stream:', error.message)
    }
    const until = Date.now() + STREAM_AGAIN
    try {
      for await (const event of kit.poll(ctx)) {
        yield event
        if (Date.now() >= until) break
      }
    } catch (error) {
      if (!(error instanceof kit.InvalidResponseError && /event-stream/i.test(error.contentType))) throw error
      url = ctx.spec.url
    }
    if (ctx.signal.aborted) return
  }
}

/** The two stream transports, using `parts` of the library. */
export function streams(parts: Kit): { sse: Transport; auto: Transport } {
  kit = parts
  return { sse, auto }
}
