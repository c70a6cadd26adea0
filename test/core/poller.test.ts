import { HttpResponse } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import {
  HttpError,
  InvalidResponseError,
  JobCancelledError,
  JobFailedError,
  type JobSnapshot,
  NetworkError,
  PollingStoppedError,
  pollJob,
  RequestTimeoutError,
  RetryLimitError,
} from '../../src/index'
import { defaultBody, gaps, ORIGIN, serveJob, withJobServer } from '../helpers/job-server'

withJobServer()
const URL = `${ORIGIN}/jobs/1/`

function callbacks() {
  return { onStart: vi.fn(), onProgress: vi.fn(), onComplete: vi.fn(), onError: vi.fn() }
}

describe('pollJob (no DOM, runs in Node)', () => {
  it('follows a default-format job to completion, then stops polling', async () => {
    vi.useFakeTimers()
    const served = serveJob('/jobs/1/', [
      defaultBody('pending', 0),
      defaultBody('in_progress', 45),
      defaultBody('in_progress', 90),
      defaultBody('completed', 100, { completed_at: '2025-01-16T10:31:00Z' }),
    ])
    const cb = callbacks()
    const job = pollJob(URL, cb)
    const seen: string[] = []
    job.subscribe((s) => seen.push(`${s.status} ${s.percent}`))
    await vi.advanceTimersByTimeAsync(10_000)
    expect(seen).toEqual(['pending 0', 'running 45', 'running 90', 'succeeded 100'])
    expect(served.requests).toHaveLength(4)
    expect(gaps(served.times)).toEqual([500, 500, 500])
    expect(cb.onStart).toHaveBeenCalledTimes(1)
    expect(cb.onProgress).toHaveBeenCalledTimes(4)
    expect(cb.onComplete).toHaveBeenCalledTimes(1)
    expect(cb.onError).not.toHaveBeenCalled()
    await expect(job.done).resolves.toMatchObject({ status: 'succeeded', percent: 100, processed: 100 })
    expect(vi.getTimerCount()).toBe(0)
  })

  it('waits pollInterval after each response, never overlapping requests on a slow server', async () => {
    vi.useFakeTimers()
    const slow = (n: number) => ({ wait: 2000, send: defaultBody('in_progress', n) })
    const served = serveJob('/jobs/1/', [slow(10), slow(20), slow(30), defaultBody('completed', 100)])
    pollJob(URL, { pollInterval: 1000 })
    await vi.advanceTimersByTimeAsync(20_000)
    expect(served.maxInFlight).toBe(1)
    expect(gaps(served.times)).toEqual([3000, 3000, 3000])
  })

  it('notifies nobody when a response is unchanged', async () => {
    vi.useFakeTimers()
    const same = defaultBody('in_progress', 30)
    serveJob('/jobs/1/', [same, same, same, defaultBody('in_progress', 31)])
    const cb = callbacks()
    const job = pollJob(URL, cb)
    const listener = vi.fn()
    job.subscribe(listener)
    await vi.advanceTimersByTimeAsync(1200)
    expect(listener).toHaveBeenCalledTimes(1)
    expect(cb.onProgress).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(500)
    expect(listener).toHaveBeenCalledTimes(2)
    job.stop()
  })

  it('fires onError once with the server message when the job fails, and keeps the last percent', async () => {
    vi.useFakeTimers()
    serveJob('/jobs/1/', [
      defaultBody('in_progress', 60),
      // celery-progress style: 100 on failure must not show as a full bar.
      defaultBody('failed', 100, { progress_percentage: 100, error: 'Row 61: invalid e-mail' }),
    ])
    const cb = callbacks()
    const job = pollJob(URL, cb)
    await vi.advanceTimersByTimeAsync(5000)
    expect(cb.onComplete).not.toHaveBeenCalled()
    expect(cb.onError).toHaveBeenCalledTimes(1)
    const error = cb.onError.mock.calls[0]?.[0]
    expect(error).toBeInstanceOf(JobFailedError)
    expect(error.message).toBe('Row 61: invalid e-mail')
    expect(error.snapshot).toMatchObject({
      status: 'failed',
      percent: 60,
      error: { message: 'Row 61: invalid e-mail' },
    })
    await expect(job.done).rejects.toBe(error)
  })

  it('reports a cancelled job through onError with a JobCancelledError', async () => {
    vi.useFakeTimers()
    serveJob('/jobs/1/', [{ status: 'revoked' }])
    const cb = callbacks()
    const job = pollJob(URL, cb)
    await vi.advanceTimersByTimeAsync(100)
    expect(cb.onError.mock.calls[0]?.[0]).toBeInstanceOf(JobCancelledError)
    expect(job.snapshot?.status).toBe('cancelled')
  })

  it('gives up at once on a 404 with no notFoundGrace, with the status and URL in the message', async () => {
    vi.useFakeTimers()
    const served = serveJob('/jobs/1/', [() => new HttpResponse('nope', { status: 404, statusText: 'Not Found' })])
    const cb = callbacks()
    const job = pollJob(URL, { ...cb, notFoundGrace: 0 })
    await vi.advanceTimersByTimeAsync(60_000)
    expect(served.requests).toHaveLength(1)
    const error = cb.onError.mock.calls[0]?.[0]
    expect(error).toBeInstanceOf(HttpError)
    expect(error.status).toBe(404)
    expect(error.message).toBe(`HTTP 404 Not Found from ${URL}`)
    // The job was never seen: polling is lost, and nothing says the job failed.
    expect(job.snapshot).toMatchObject({ status: 'pending', terminal: false, connection: 'lost' })
    expect(job.snapshot?.error).toBeUndefined()
  })

  it('gives up at once on an HTML page, saying what was received', async () => {
    vi.useFakeTimers()
    serveJob('/jobs/1/', [() => HttpResponse.html('<!doctype html><title>Log in</title>')])
    const cb = callbacks()
    pollJob(URL, cb)
    await vi.advanceTimersByTimeAsync(100)
    const error = cb.onError.mock.calls[0]?.[0]
    expect(error).toBeInstanceOf(InvalidResponseError)
    expect(error.contentType).toBe('text/html')
    expect(error.message).toBe(
      `Response is not JSON from ${URL} (Content-Type: text/html): "<!doctype html><title>Log in</title>"`,
    )
    expect(error.bodyStart).toBe('<!doctype html><title>Log in</title>')
  })

  it.each([
    ['JSON null', null, `Expected a JSON object with a "status" from ${URL} (Content-Type: application/json): "null"`],
    ['an array', [1, 2], 'Expected a JSON object with a "status" from'],
    ['an object with no status', { id: 7, progress: 5 }, 'Expected a JSON object with a "status" (keys: id, progress)'],
    ['an empty object', {}, '"{}"'],
    ['an empty body', () => new HttpResponse(null, { status: 200 }), 'Empty response'],
  ])('ends with one clear error for %s', async (_, body, expected) => {
    vi.useFakeTimers()
    serveJob('/jobs/1/', [body as never])
    const cb = callbacks()
    pollJob(URL, cb)
    await vi.advanceTimersByTimeAsync(10_000)
    expect(cb.onError).toHaveBeenCalledTimes(1)
    expect(cb.onError.mock.calls[0]?.[0]).toBeInstanceOf(InvalidResponseError)
    expect(cb.onError.mock.calls[0]?.[0].message).toContain(expected)
  })

  it('retries network errors and 503s with growing delays, then recovers by itself', async () => {
    vi.useFakeTimers()
    vi.spyOn(Math, 'random').mockReturnValue(1)
    const served = serveJob('/jobs/1/', [
      defaultBody('in_progress', 10),
      { networkError: true },
      () => new HttpResponse(null, { status: 503 }),
      { networkError: true },
      defaultBody('completed', 100),
    ])
    const cb = callbacks()
    pollJob(URL, cb)
    await vi.advanceTimersByTimeAsync(60_000)
    expect(served.requests).toHaveLength(5)
    expect(gaps(served.times)).toEqual([500, 1000, 2000, 4000])
    expect(cb.onComplete).toHaveBeenCalledTimes(1)
    expect(cb.onError).not.toHaveBeenCalled()
  })

  it('gives up after `retry` transient failures in a row, with the last cause', async () => {
    vi.useFakeTimers()
    const served = serveJob('/jobs/1/', [
      () => new HttpResponse(null, { status: 503, statusText: 'Service Unavailable' }),
    ])
    const cb = callbacks()
    pollJob(URL, { ...cb, retry: 3 })
    await vi.advanceTimersByTimeAsync(120_000)
    expect(served.requests).toHaveLength(3)
    const error = cb.onError.mock.calls[0]?.[0]
    expect(error).toBeInstanceOf(RetryLimitError)
    expect(error.attempts).toBe(3)
    expect(error.cause).toBeInstanceOf(HttpError)
    expect(error.message).toBe(`Gave up after 3 failed attempts in a row: HTTP 503 Service Unavailable from ${URL}`)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('keeps the backoff under 30 s and jitters it', async () => {
    const { backoff } = await import('../../src/core/retry')
    const policy = { limit: 5, backoffLimit: 30_000, maxRetryAfter: 120_000 }
    expect(backoff(1, 500, policy, () => 0.5)).toBe(500)
    expect(backoff(3, 500, policy, () => 0.5)).toBe(2000)
    expect(backoff(20, 500, policy, () => 1)).toBe(30_000)
    expect(backoff(20, 500, policy, () => 0)).toBe(500)
    expect(backoff(20, 500, { ...policy, backoffLimit: 5000 }, () => 1)).toBe(5000)
  })

  it('aborts a request that exceeds requestTimeout and counts it as transient', async () => {
    vi.useFakeTimers()
    const served = serveJob('/jobs/1/', [{ wait: 60_000, send: {} }, defaultBody('completed', 100)])
    const cb = callbacks()
    pollJob(URL, { ...cb, requestTimeout: 2000, retry: 1 })
    await vi.advanceTimersByTimeAsync(2100)
    expect(served.requests).toHaveLength(1)
    expect(served.requests[0]?.signal.aborted).toBe(true)
    expect(cb.onError.mock.calls[0]?.[0]).toBeInstanceOf(RequestTimeoutError)
  })

  it('classifies a refused connection as a NetworkError', async () => {
    serveJob('/jobs/1/', [{ networkError: true }])
    const job = pollJob(URL, { retry: 0 })
    await expect(job.done).rejects.toBeInstanceOf(NetworkError)
  })

  it('sends the Accept header, custom headers and credentials', async () => {
    const served = serveJob('/jobs/1/', [{ status: 'done' }])
    const job = pollJob(URL, { headers: { 'X-CSRFToken': 'abc' }, credentials: 'include' })
    await job.done
    const request = served.requests[0] as Request
    expect(request.headers.get('accept')).toBe('application/json')
    expect(request.headers.get('x-csrftoken')).toBe('abc')
    expect(request.credentials).toBe('include')
  })

  it('uses the fetch option when given', async () => {
    const fetch = vi.fn(async () => Response.json({ status: 'succeeded', result: { rows: 3 } }))
    const job = pollJob('/relative/status/', { fetch })
    await expect(job.done).resolves.toMatchObject({ result: { rows: 3 } })
    expect(fetch).toHaveBeenCalledWith('/relative/status/', expect.objectContaining({ credentials: 'same-origin' }))
  })

  it('puts a job id into the url template, URL-encoded', async () => {
    const fetch = vi.fn(async (_url: string | URL | Request) => Response.json({ status: 'done' }))
    // 'a b/c' has a slash, so it is a URL; 'a b' is an id, encoded into the template.
    await pollJob('a b/c', { url: '/jobs/{id}/', fetch }).done
    await pollJob('a b', { url: '/jobs/{id}/', fetch }).done
    expect(fetch.mock.calls.map((call) => call[0])).toEqual(['a b/c', '/jobs/a%20b/'])
  })
})

describe('stop, restart and teardown', () => {
  it('aborts the request in flight on stop(), starts no other, and rejects done', async () => {
    vi.useFakeTimers()
    const served = serveJob('/jobs/1/', [{ wait: 5000, send: defaultBody('in_progress', 5) }])
    const cb = callbacks()
    const job = pollJob(URL, cb)
    await vi.advanceTimersByTimeAsync(100)
    job.stop()
    job.stop()
    await expect(job.done).rejects.toBeInstanceOf(PollingStoppedError)
    expect(served.requests[0]?.signal.aborted).toBe(true)
    await vi.advanceTimersByTimeAsync(60_000)
    expect(served.requests).toHaveLength(1)
    expect(vi.getTimerCount()).toBe(0)
    expect(Object.values(cb).every((fn) => fn.mock.calls.length === 0)).toBe(true)
  })

  it('stops between two polls: the wait is cleared', async () => {
    vi.useFakeTimers()
    const served = serveJob('/jobs/1/', [defaultBody('in_progress', 5)])
    const job = pollJob(URL)
    await vi.advanceTimersByTimeAsync(100)
    expect(vi.getTimerCount()).toBe(1)
    job.stop()
    expect(vi.getTimerCount()).toBe(0)
    await vi.advanceTimersByTimeAsync(10_000)
    expect(served.requests).toHaveLength(1)
  })

  it('ignores a late response that arrives after stop()', async () => {
    vi.useFakeTimers()
    let release: (r: Response) => void = () => {}
    const fetch = vi.fn(() => new Promise<Response>((resolve) => (release = resolve)))
    const cb = callbacks()
    const job = pollJob('/late/', { ...cb, fetch })
    job.stop()
    release(Response.json({ status: 'completed' }))
    await vi.advanceTimersByTimeAsync(1000)
    expect(job.snapshot).toBeUndefined()
    expect(cb.onComplete).not.toHaveBeenCalled()
  })

  it('restarts from scratch: a new done, onStart again', async () => {
    vi.useFakeTimers()
    serveJob('/jobs/1/', [defaultBody('in_progress', 5), defaultBody('completed', 100)])
    const cb = callbacks()
    const job = pollJob(URL, cb)
    await vi.advanceTimersByTimeAsync(10)
    job.stop()
    const first = job.done
    job.restart()
    expect(job.done).not.toBe(first)
    await vi.advanceTimersByTimeAsync(10)
    await expect(job.done).resolves.toMatchObject({ status: 'succeeded' })
    expect(cb.onStart).toHaveBeenCalledTimes(2)
  })

  it('unsubscribes a listener', async () => {
    vi.useFakeTimers()
    serveJob('/jobs/1/', [defaultBody('in_progress', 5), defaultBody('in_progress', 6)])
    const job = pollJob(URL)
    const listener = vi.fn()
    const unsubscribe = job.subscribe(listener)
    await vi.advanceTimersByTimeAsync(10)
    unsubscribe()
    await vi.advanceTimersByTimeAsync(1000)
    expect(listener).toHaveBeenCalledTimes(1)
    job.stop()
  })
})

describe('callbacks', () => {
  it('reports a callback that throws and goes on polling', async () => {
    vi.useFakeTimers()
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    serveJob('/jobs/1/', [defaultBody('in_progress', 5), defaultBody('in_progress', 6), defaultBody('completed', 100)])
    const onComplete = vi.fn()
    const job = pollJob(URL, {
      onProgress: () => {
        throw new Error('boom')
      },
      onComplete,
    })
    job.subscribe(() => {
      throw new Error('listener boom')
    })
    await vi.advanceTimersByTimeAsync(5000)
    expect(onComplete).toHaveBeenCalledTimes(1)
    expect(error).toHaveBeenCalledWith('[progress-polling] a callback threw:', expect.any(Error))
  })

  it('logs each poll and state change with debug', async () => {
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => {})
    serveJob('/jobs/1/', [() => new Response('', { status: 503 }), { status: 'done' }])
    await pollJob(URL, { debug: true, pollInterval: 1 }).done
    expect(debug).toHaveBeenCalledWith('[progress-polling]', 'GET', URL)
    // The technical reason of a connection problem, which the widget says only in words.
    expect(debug).toHaveBeenCalledWith(
      '[progress-polling]',
      'status',
      'pending',
      null,
      'retrying',
      expect.stringMatching(/503/),
    )
    expect(debug).toHaveBeenCalledWith('[progress-polling]', 'status', 'succeeded', 100)
  })

  it('gives onStart, onProgress and subscribers the same snapshot object', async () => {
    serveJob('/jobs/1/', [{ status: 'done' }])
    const seen: JobSnapshot[] = []
    const job = pollJob(URL, { onStart: (s) => seen.push(s), onProgress: (s) => seen.push(s) })
    job.subscribe((s) => seen.push(s))
    const final = await job.done
    expect(seen).toEqual([final, final, final])
    expect(new Set(seen).size).toBe(1)
  })
})
