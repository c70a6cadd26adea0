import { HttpResponse } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import { type JobSnapshot, pollJob } from '../../src/index'
import { defaultBody, ORIGIN, serveJob, withJobServer } from '../helpers/job-server'

withJobServer()
const URL = `${ORIGIN}/jobs/5/`

describe('reconnecting', () => {
  it('shows subscribers that it is retrying, keeping the last percent, and clears it on recovery', async () => {
    vi.useFakeTimers()
    vi.spyOn(Math, 'random').mockReturnValue(1)
    serveJob('/jobs/5/', [
      defaultBody('in_progress', 40),
      () => new HttpResponse(null, { status: 503, statusText: 'Service Unavailable' }),
      { networkError: true },
      defaultBody('in_progress', 40),
      defaultBody('completed', 100),
    ])
    const onProgress = vi.fn()
    const seen: JobSnapshot[] = []
    const job = pollJob(URL, { onProgress })
    job.subscribe((s) => seen.push(s))
    await vi.advanceTimersByTimeAsync(60_000)
    expect(seen.map((s) => [s.connection ?? 'ok', s.percent, s.retry?.attempt ?? null])).toEqual([
      ['ok', 40, null],
      ['retrying', 40, 1],
      ['retrying', 40, 2],
      ['ok', 40, null],
      ['ok', 100, null],
    ])
    expect(seen[1]?.retry).toEqual({
      attempt: 1,
      limit: 4,
      delayMs: 1000,
      reason: `HTTP 503 Service Unavailable from ${URL}`,
    })
    // Retrying is not job progress: onProgress saw the job's three changes only.
    expect(onProgress).toHaveBeenCalledTimes(3)
  })

  it('shows a pending, retrying snapshot when the very first request fails', async () => {
    vi.useFakeTimers()
    serveJob('/jobs/5/', [{ networkError: true }, defaultBody('in_progress', 3)])
    const job = pollJob(URL)
    await vi.advanceTimersByTimeAsync(10)
    expect(job.snapshot).toMatchObject({ status: 'pending', percent: null, connection: 'retrying' })
    job.stop()
  })
})

describe('conditional requests', () => {
  it('sends If-None-Match and treats 304 as unchanged: no notification, no callback', async () => {
    vi.useFakeTimers()
    const body = defaultBody('in_progress', 50)
    const served = serveJob('/jobs/5/', [
      () => HttpResponse.json(body, { headers: { ETag: '"v1"', 'Last-Modified': 'Wed, 01 Jan 2030 00:00:00 GMT' } }),
      () => new HttpResponse(null, { status: 304 }),
      () => new HttpResponse(null, { status: 304 }),
      () => HttpResponse.json(defaultBody('completed', 100), { headers: { ETag: '"v2"' } }),
    ])
    const onProgress = vi.fn()
    const listener = vi.fn()
    const job = pollJob(URL, { onProgress })
    job.subscribe(listener)
    await vi.advanceTimersByTimeAsync(10_000)
    expect(served.requests.map((r) => r.headers.get('if-none-match'))).toEqual([null, '"v1"', '"v1"', '"v1"'])
    expect(served.requests[1]?.headers.get('if-modified-since')).toBe('Wed, 01 Jan 2030 00:00:00 GMT')
    expect(onProgress).toHaveBeenCalledTimes(2)
    expect(listener).toHaveBeenCalledTimes(2)
    await expect(job.done).resolves.toMatchObject({ status: 'succeeded' })
  })

  it('ends a spell of retrying on a 304', async () => {
    vi.useFakeTimers()
    serveJob('/jobs/5/', [
      () => HttpResponse.json(defaultBody('in_progress', 5), { headers: { ETag: '"a"' } }),
      { networkError: true },
      () => new HttpResponse(null, { status: 304 }),
    ])
    const job = pollJob(URL)
    await vi.advanceTimersByTimeAsync(5000)
    expect(job.snapshot?.connection).toBeUndefined()
    expect(job.snapshot?.percent).toBe(5)
    job.stop()
  })
})

describe('exactly once', () => {
  const calls = () => ({ onComplete: vi.fn(), onError: vi.fn() })

  it('fires no callback after stop() during a request, even when the response completes the job', async () => {
    vi.useFakeTimers()
    serveJob('/jobs/5/', [{ wait: 1000, send: defaultBody('completed', 100) }])
    const cb = calls()
    const job = pollJob(URL, cb)
    await vi.advanceTimersByTimeAsync(100)
    job.stop()
    await vi.advanceTimersByTimeAsync(5000)
    expect(cb.onComplete).not.toHaveBeenCalled()
    expect(cb.onError).not.toHaveBeenCalled()
  })

  it('fires no onComplete when onProgress stops the poll on the final snapshot', async () => {
    serveJob('/jobs/5/', [defaultBody('completed', 100)])
    const cb = calls()
    const job = pollJob(URL, { ...cb, onProgress: () => job.stop() })
    await job.done.catch(() => {})
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(cb.onComplete).not.toHaveBeenCalled()
    expect(cb.onError).not.toHaveBeenCalled()
  })

  it('fires nothing more once a callback stopped the poll', async () => {
    serveJob('/jobs/5/', [defaultBody('in_progress', 5)])
    const onProgress = vi.fn()
    const job = pollJob(URL, { onStart: () => job.stop(), onProgress })
    await job.done.catch(() => {})
    expect(onProgress).not.toHaveBeenCalled()
  })

  it('never fires onError after onComplete, whatever the server says next', async () => {
    vi.useFakeTimers()
    const served = serveJob('/jobs/5/', [defaultBody('completed', 100), () => new HttpResponse(null, { status: 500 })])
    const cb = calls()
    pollJob(URL, cb)
    await vi.advanceTimersByTimeAsync(30_000)
    expect(served.requests).toHaveLength(1)
    expect(cb.onComplete).toHaveBeenCalledTimes(1)
    expect(cb.onError).not.toHaveBeenCalled()
  })

  it('settles done once per run, and keeps the first outcome', async () => {
    serveJob('/jobs/5/', [defaultBody('completed', 100)])
    const job = pollJob(URL)
    const first = await job.done
    job.stop()
    await expect(job.done).resolves.toBe(first)
  })
})

describe('requests a 60-second job costs', () => {
  async function count(options: Parameters<typeof pollJob>[1], etag = false) {
    vi.useFakeTimers({ now: 0 })
    let bytes = 0
    const served = serveJob('/jobs/5/', [
      ({ request }: { request: Request }) => {
        const t = Date.now()
        const body = JSON.stringify(
          t >= 60_000
            ? defaultBody('completed', 100)
            : etag
              ? defaultBody('in_progress', 50)
              : defaultBody('in_progress', Math.floor(t / 600)),
        )
        const tag = `"${body.length}-${t >= 60_000}"`
        if (etag && request.headers.get('if-none-match') === tag) return new HttpResponse(null, { status: 304 })
        bytes += body.length
        return new HttpResponse(body, { headers: { 'content-type': 'application/json', ETag: tag } })
      },
    ])
    const job = pollJob(URL, options)
    await vi.advanceTimersByTimeAsync(61_000)
    job.stop()
    return { requests: served.requests.length, bytes }
  }

  it('with the default options: one request per 500 ms', async () => {
    const { requests } = await count({})
    expect(requests).toBe(121)
  })

  it('with an unchanged job and ETag: the same requests, bodies only when it changes', async () => {
    const { requests, bytes } = await count({}, true)
    expect(requests).toBe(121)
    const full = defaultBody('in_progress', 50)
    expect(bytes).toBe(JSON.stringify(full).length + JSON.stringify(defaultBody('completed', 100)).length)
  })
})
