// Server-Sent Events through fetch streaming (Node has no EventSource; the native path runs in
// Chromium), and `auto`'s fallback to polling. Streams are ReadableStreams the test writes to.
import { HttpResponse, http } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import { type JobSnapshot, pollJob } from '../../src/index'
// Loaded up front, as a bundler's chunk would be once fetched: the job imports it on demand.
import '../../src/core/transport/sse'
import { fakePresence } from '../helpers/env'
import { defaultBody, ORIGIN, type Stream, serveJob, server, serveStream, withJobServer } from '../helpers/job-server'

withJobServer()
const URL = `${ORIGIN}/jobs/s/`
const event = (body: unknown, id?: number) =>
  `${id === undefined ? '' : `id: ${id}\n`}data: ${JSON.stringify(body)}\n\n`

const last = (streams: Stream[]) => streams[streams.length - 1] as Stream
const tick = (ms = 0) => vi.advanceTimersByTimeAsync(ms)

describe("transport: 'sse'", () => {
  it('reads status bodies from the stream, ends on the terminal one, and closes the stream for good', async () => {
    vi.useFakeTimers()
    const streams = serveStream('/jobs/s/')
    const seen: JobSnapshot[] = []
    const job = pollJob(URL, { transport: 'sse', onProgress: (s) => seen.push(s) })
    await tick()
    expect(last(streams).request.headers.get('accept')).toBe('text/event-stream')
    last(streams).send(event(defaultBody('in_progress', 40), 1))
    // A status split anywhere, across chunks.
    const text = event(defaultBody('completed', 100), 2)
    last(streams).send(text.slice(0, 17))
    await tick()
    last(streams).send(text.slice(17))
    await expect(job.done).resolves.toMatchObject({ status: 'succeeded', percent: 100, format: 'default' })
    expect(seen.map((s) => s.percent)).toEqual([40, 100])
    expect(last(streams).request.signal.aborted).toBe(true)
    await tick(60_000)
    expect(streams).toHaveLength(1)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('reopens a stream that broke off with Last-Event-ID, showing "retrying" meanwhile', async () => {
    vi.useFakeTimers()
    const streams = serveStream('/jobs/s/')
    const job = pollJob(URL, { transport: 'sse' })
    await tick()
    last(streams).send(event(defaultBody('in_progress', 40), 7))
    await tick()
    last(streams).fail()
    await tick()
    expect(job.snapshot).toMatchObject({ percent: 40, connection: 'retrying' })
    await tick(1000)
    expect(streams).toHaveLength(2)
    expect(last(streams).request.headers.get('last-event-id')).toBe('7')
    last(streams).send(': keep-alive\n\n')
    await tick()
    expect(job.snapshot?.connection).toBeUndefined()
    last(streams).send(event(defaultBody('completed', 100), 8))
    await expect(job.done).resolves.toMatchObject({ status: 'succeeded' })
  })

  it('reopens a stream the server ended after its retry: time, from the last id', async () => {
    vi.useFakeTimers()
    const streams = serveStream('/jobs/s/')
    const job = pollJob(URL, { transport: 'sse' })
    await tick()
    last(streams).send(`retry: 2000\n${event(defaultBody('in_progress', 10), 3)}`)
    last(streams).end()
    await tick(1900)
    expect(streams).toHaveLength(1)
    expect(job.snapshot?.connection).toBeUndefined()
    await tick(200)
    expect(streams).toHaveLength(2)
    expect(last(streams).request.headers.get('last-event-id')).toBe('3')
    job.stop()
  })

  it.each([
    [404, 'HttpError', 1],
    [204, 'HttpError', 1],
    [401, 'HttpError', 1],
  ])('gives up at once on a %s before any event', async (status, name, requests) => {
    vi.useFakeTimers()
    const streams = serveStream('/jobs/s/', () => new HttpResponse(null, { status }))
    const job = pollJob(URL, { transport: 'sse' })
    await tick(10_000)
    await expect(job.done).rejects.toMatchObject({ name })
    expect(streams).toHaveLength(requests)
    expect(job.snapshot?.connection).toBe('lost')
  })

  it('retries a 503 with backoff, then gives up like polling does', async () => {
    vi.useFakeTimers()
    const streams = serveStream('/jobs/s/', () => new HttpResponse(null, { status: 503 }))
    const job = pollJob(URL, { transport: 'sse', retry: 3 })
    await tick(60_000)
    await expect(job.done).rejects.toMatchObject({ name: 'RetryLimitError' })
    expect(streams).toHaveLength(3)
  })

  it('says what came instead of an event stream', async () => {
    vi.useFakeTimers()
    serveStream('/jobs/s/', () => HttpResponse.json(defaultBody('in_progress', 1)))
    const job = pollJob(URL, { transport: 'sse' })
    await tick()
    await expect(job.done).rejects.toThrow(/Not an event stream from .*jobs\/s\/ \(Content-Type: application\/json\)/)
  })

  it('sends the headers option, and reads the stream at eventsUrl (a template with the id)', async () => {
    vi.useFakeTimers()
    const streams = serveStream('/jobs/9/events')
    const job = pollJob(9, {
      url: `${ORIGIN}/jobs/{id}/`,
      eventsUrl: `${ORIGIN}/jobs/{id}/events`,
      transport: 'sse',
      headers: { 'X-CSRFToken': 't0k' },
    })
    await tick()
    expect(last(streams).request.headers.get('x-csrftoken')).toBe('t0k')
    last(streams).send(event(defaultBody('completed', 100)))
    await expect(job.done).resolves.toMatchObject({ status: 'succeeded' })
    expect(job.url).toBe(`${ORIGIN}/jobs/9/`)
  })

  it('closes the stream offline and reopens it once on return; a hidden tab keeps it', async () => {
    vi.useFakeTimers()
    const page = fakePresence()
    const streams = serveStream('/jobs/s/')
    const job = pollJob(URL, { transport: 'sse' })
    await tick()
    last(streams).send(event(defaultBody('in_progress', 40), 1))
    page.hide()
    await tick(10_000)
    expect(streams).toHaveLength(1)
    expect(last(streams).request.signal.aborted).toBe(false)
    page.offline()
    await tick()
    expect(last(streams).request.signal.aborted).toBe(true)
    expect(job.snapshot?.connection).toBe('paused')
    await tick(60_000)
    expect(streams).toHaveLength(1)
    page.online()
    await tick()
    expect(streams).toHaveLength(2)
    expect(last(streams).request.headers.get('last-event-id')).toBe('1')
    expect(job.snapshot?.connection).toBeUndefined()
    job.stop()
  })
})

describe("transport: 'auto'", () => {
  it('uses the stream when it works: no poll', async () => {
    vi.useFakeTimers()
    const streams = serveStream('/jobs/s/')
    const job = pollJob(URL, { transport: 'auto' })
    await tick()
    last(streams).send(event(defaultBody('in_progress', 50)))
    await tick(30_000)
    expect(streams).toHaveLength(1)
    expect(job.snapshot?.percent).toBe(50)
    job.stop()
  })

  it.each([
    ['a 404', () => new HttpResponse(null, { status: 404 })],
    ['a 405', () => new HttpResponse(null, { status: 405 })],
    ['a 204', () => new HttpResponse(null, { status: 204 })],
    ['JSON', () => HttpResponse.json(defaultBody('in_progress', 20))],
  ])('falls back to polling the status URL when the stream answers %s', async (_, answer) => {
    vi.useFakeTimers()
    const streams = serveStream('/jobs/s/events', answer)
    const polled = serveJob('/jobs/s/', [defaultBody('in_progress', 30), defaultBody('completed', 100)])
    const job = pollJob(URL, { transport: 'auto', eventsUrl: `${ORIGIN}/jobs/s/events` })
    await tick(1000)
    await expect(job.done).resolves.toMatchObject({ status: 'succeeded' })
    expect(streams).toHaveLength(1)
    expect(polled.requests).toHaveLength(2)
  })

  it('falls back when the stream stays silent for sseTimeout (a buffering proxy), and tries it again after 5 min', async () => {
    vi.useFakeTimers()
    const streams = serveStream('/jobs/s/events')
    const polled = serveJob('/jobs/s/', [defaultBody('in_progress', 30)])
    const job = pollJob(URL, { transport: 'auto', eventsUrl: `${ORIGIN}/jobs/s/events`, pollInterval: 1000 })
    await tick(4900)
    expect(polled.requests).toHaveLength(0)
    await tick(200)
    expect(last(streams).request.signal.aborted).toBe(true)
    expect(polled.requests).toHaveLength(1)
    expect(job.snapshot?.percent).toBe(30)
    await tick(5 * 60_000)
    expect(streams).toHaveLength(2)
    const polls = polled.requests.length
    last(streams).send(': hello\n\n')
    last(streams).send(event(defaultBody('in_progress', 60)))
    await tick(10_000)
    expect(polled.requests).toHaveLength(polls)
    expect(job.snapshot?.percent).toBe(60)
    job.stop()
  })

  it('streams a status URL that answers a poll with an event stream', async () => {
    vi.useFakeTimers()
    serveStream('/jobs/s/events', () => new HttpResponse(null, { status: 404 }))
    const streams = serveStream('/jobs/s/')
    const job = pollJob(URL, { transport: 'auto', eventsUrl: `${ORIGIN}/jobs/s/events` })
    await tick(100)
    // The poll got a stream: it is read as one.
    expect(streams).toHaveLength(2)
    last(streams).send(event(defaultBody('completed', 100)))
    await expect(job.done).resolves.toMatchObject({ status: 'succeeded' })
  })

  it('a comment is enough to show the stream is not buffered', async () => {
    vi.useFakeTimers()
    const streams = serveStream('/jobs/s/')
    const job = pollJob(URL, { transport: 'auto', sseTimeout: 1000 })
    await tick(500)
    last(streams).send(': connected\n\n')
    await tick(5000)
    last(streams).send(event(defaultBody('in_progress', 70)))
    await tick()
    expect(streams).toHaveLength(1)
    expect(job.snapshot?.percent).toBe(70)
    job.stop()
  })
})

describe('options', () => {
  it('checks transport and eventsUrl', () => {
    expect(() => pollJob(URL, { transport: 'websocket' as never })).toThrow(
      "the `transport` option must be 'poll', 'sse' or 'auto', got \"websocket\"",
    )
    expect(() => pollJob(URL, { transport: 'sse', eventsUrl: 42 as never })).toThrow(
      'the `eventsUrl` option must be a string or a function, got 42',
    )
    expect(() => pollJob(URL, { sseTimeout: 0 })).toThrow(RangeError)
  })
})

describe('stopping', () => {
  it('opens no stream for a job stopped while the stream code was loading', async () => {
    vi.useFakeTimers()
    const streams = serveStream('/jobs/s/')
    const job = pollJob(URL, { transport: 'sse' })
    job.stop()
    await tick(1000)
    expect(streams).toHaveLength(0)
  })

  it('leaves no timer and no presence listener after stop() on an open stream, in auto too', async () => {
    vi.useFakeTimers()
    const page = fakePresence()
    const streams = serveStream('/jobs/s/')
    for (const transport of ['sse', 'auto'] as const) {
      const job = pollJob(URL, { transport })
      await tick()
      last(streams).send(event(defaultBody('in_progress', 10)))
      await tick()
      job.stop()
      await tick()
      expect(last(streams).request.signal.aborted).toBe(true)
      expect(vi.getTimerCount()).toBe(0)
      expect(page.listeners()).toBe(0)
    }
  })
})

describe('the native EventSource (no headers), with a stand-in', () => {
  /** Records each EventSource the transport opens; the test plays the server's part. */
  class FakeEventSource {
    static opened: FakeEventSource[] = []
    onmessage: ((event: MessageEvent) => void) | null = null
    onerror: (() => void) | null = null
    closed = false
    constructor(
      readonly url: string,
      readonly init?: EventSourceInit,
    ) {
      FakeEventSource.opened.push(this)
    }
    close() {
      this.closed = true
    }
    message(body: unknown, id: string) {
      this.onmessage?.(new MessageEvent('message', { data: JSON.stringify(body), lastEventId: id }))
    }
  }
  const opened = () => FakeEventSource.opened
  const latest = () => opened()[opened().length - 1] as FakeEventSource

  it('is used without headers; after a break it resumes with ?lastEventId=, after the reconnection time', async () => {
    vi.useFakeTimers()
    FakeEventSource.opened = []
    vi.stubGlobal('EventSource', FakeEventSource)
    const job = pollJob(URL, { transport: 'sse', credentials: 'include' })
    await tick()
    expect(latest()).toMatchObject({ url: URL, init: { withCredentials: true } })
    latest().message(defaultBody('in_progress', 40), '4')
    await tick()
    expect(job.snapshot?.percent).toBe(40)
    latest().onerror?.()
    expect(latest().closed).toBe(true)
    await tick(2900)
    expect(opened()).toHaveLength(1)
    await tick(200)
    expect(latest().url).toBe(`${URL}?lastEventId=4`)
    latest().message(defaultBody('completed', 100), '5')
    await expect(job.done).resolves.toMatchObject({ status: 'succeeded' })
    expect(latest().closed).toBe(true)
  })

  it("refused before any event: 'sse' retries with backoff and gives up; 'auto' polls", async () => {
    vi.useFakeTimers()
    FakeEventSource.opened = []
    vi.stubGlobal('EventSource', FakeEventSource)
    const sse = pollJob(URL, { transport: 'sse', retry: 3 })
    for (let i = 0; i < 3; i++) {
      await tick(10_000)
      latest().onerror?.()
    }
    await tick(10_000)
    await expect(sse.done).rejects.toMatchObject({ name: 'RetryLimitError' })
    expect(opened()).toHaveLength(3)

    const polled = serveJob('/jobs/a2/', [defaultBody('completed', 100)])
    const auto = pollJob(`${ORIGIN}/jobs/a2/`, { transport: 'auto' })
    await tick()
    latest().onerror?.()
    await tick(100)
    await expect(auto.done).resolves.toMatchObject({ status: 'succeeded' })
    expect(polled.requests).toHaveLength(1)
  })

  it('is not used with headers, with credentials omitted, or with a fetch option', async () => {
    vi.useFakeTimers()
    FakeEventSource.opened = []
    vi.stubGlobal('EventSource', FakeEventSource)
    const streams = serveStream('/jobs/s/')
    const viaFetch: typeof fetch = (input, init) => globalThis.fetch(input, init)
    for (const options of [
      { headers: { Authorization: 'Bearer x' } },
      { credentials: 'omit' as const },
      { fetch: viaFetch },
    ]) {
      const job = pollJob(URL, { transport: 'sse', ...options })
      await tick()
      job.stop()
    }
    expect(opened()).toHaveLength(0)
    expect(streams).toHaveLength(3)
  })
})
