// The fault matrix: each row is a server behaviour, and where polling must end up.
// Every row checks the final state, the number of requests, the delays between them,
// and that exactly one terminal callback fired.
import { HttpResponse } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import {
  HttpError,
  InvalidResponseError,
  JobCancelledError,
  JobFailedError,
  JobVanishedError,
  NetworkError,
  PollingLimitError,
  type PollJobOptions,
  type ProgressPollingError,
  pollJob,
  RequestTimeoutError,
  RetryLimitError,
} from '../../src/index'
import { defaultBody, gaps, ORIGIN, type Step, serveJob, withJobServer } from '../helpers/job-server'

withJobServer()

const running = (n: number) => defaultBody('in_progress', n)
const done = defaultBody('completed', 100)
const status =
  (code: number, headers: Record<string, string> = {}, body: string | null = null) =>
  () =>
    new HttpResponse(body, { status: code, headers })
const html = () => HttpResponse.html('<!doctype html><title>Sign in</title><form>…</form>')
const network: Step = { networkError: true }

interface Row {
  /** What the server does. */
  server: Step[]
  options?: PollJobOptions
  /** `'succeeded'`, or the error class `done` rejects with. */
  outcome: 'succeeded' | (abstract new (...args: never[]) => ProgressPollingError)
  requests: number
  /** Milliseconds between consecutive requests, when they matter. */
  gaps?: number[]
  /** A piece of the error message. */
  message?: string
  /** How long to let it run. */
  run?: number
}

const MATRIX: Record<string, Row> = {
  'a job that completes': {
    server: [running(10), running(60), done],
    outcome: 'succeeded',
    requests: 3,
    gaps: [500, 500],
  },
  'a job that fails, with its message': {
    server: [running(10), { status: 'failed', error: 'Row 7: bad e-mail' }],
    outcome: JobFailedError,
    requests: 2,
    message: 'Row 7: bad e-mail',
  },
  'a job that is cancelled': { server: [running(10), { status: 'revoked' }], outcome: JobCancelledError, requests: 2 },
  '404 on the first request, with no grace': {
    server: [status(404)],
    options: { notFoundGrace: 0 },
    outcome: HttpError,
    requests: 1,
    message: 'HTTP 404',
  },
  '404 while the job is being created, then found': {
    server: [status(404), status(404), running(5), done],
    outcome: 'succeeded',
    requests: 4,
    gaps: [500, 500, 500],
  },
  '404 for longer than notFoundGrace': {
    server: [status(404)],
    outcome: HttpError,
    requests: 11,
    message: 'HTTP 404',
  },
  'a 500 whose JSON body says the job failed': {
    server: [running(5), () => HttpResponse.json({ status: 'failed', error: 'Disk full' }, { status: 500 })],
    outcome: JobFailedError,
    requests: 2,
    message: 'Disk full',
  },
  'a 503 with a JSend error envelope is retried': {
    server: [() => HttpResponse.json({ status: 'error', message: 'Down for upgrade' }, { status: 503 }), done],
    outcome: 'succeeded',
    requests: 2,
  },
  'an event stream where a JSON status was expected': {
    server: [
      () =>
        new HttpResponse(new ReadableStream({ start: (c) => c.enqueue(new TextEncoder().encode(': hi\n\n')) }), {
          headers: { 'content-type': 'text/event-stream' },
        }),
    ],
    outcome: InvalidResponseError,
    requests: 1,
    message: "An event stream (read it with transport: 'sse' or 'auto')",
  },
  '404 after the job was seen (vanished)': {
    server: [running(10), status(404)],
    outcome: JobVanishedError,
    requests: 2,
    message: 'The job no longer exists: HTTP 404',
  },
  '410 Gone after the job was seen': { server: [running(10), status(410)], outcome: JobVanishedError, requests: 2 },
  '401 Unauthorized': { server: [status(401)], outcome: HttpError, requests: 1, message: 'HTTP 401' },
  '403 Forbidden, after progress': { server: [running(5), status(403)], outcome: HttpError, requests: 2 },
  '422 Unprocessable': { server: [status(422)], outcome: HttpError, requests: 1 },
  'an HTML login page with status 200': {
    server: [html],
    outcome: InvalidResponseError,
    requests: 1,
    message: 'Response is not JSON',
  },
  'invalid JSON': {
    server: [status(200, { 'content-type': 'application/json' }, '{"status": "runn')],
    outcome: InvalidResponseError,
    requests: 1,
    message: '{\\"status\\": \\"runn',
  },
  'an empty 200 body': { server: [status(200)], outcome: InvalidResponseError, requests: 1, message: 'Empty response' },
  '204 No Content': { server: [status(204)], outcome: InvalidResponseError, requests: 1 },
  'JSON with no status': {
    server: [{ progress: 3 }],
    outcome: InvalidResponseError,
    requests: 1,
    message: 'keys: progress',
  },
  'two network errors, then back': {
    server: [running(10), network, network, done],
    outcome: 'succeeded',
    requests: 4,
    gaps: [500, 1000, 2000],
  },
  '503 twice, then back': {
    server: [running(10), status(503), status(503), done],
    outcome: 'succeeded',
    requests: 4,
    gaps: [500, 1000, 2000],
  },
  '500, 502 and 504, then back': {
    server: [status(500), status(502), status(504), done],
    outcome: 'succeeded',
    requests: 4,
    gaps: [1000, 2000, 4000],
  },
  '408 and 425 are retried': { server: [status(408), status(425), done], outcome: 'succeeded', requests: 3 },
  '429 with Retry-After in seconds': {
    server: [running(1), status(429, { 'Retry-After': '7' }), done],
    outcome: 'succeeded',
    requests: 3,
    gaps: [500, 7000],
  },
  '503 with Retry-After as an HTTP date': {
    server: [status(503, { 'Retry-After': new Date(Date.UTC(2030, 0, 1, 0, 0, 12)).toUTCString() }), done],
    outcome: 'succeeded',
    requests: 2,
    gaps: [12_000],
  },
  'Retry-After beyond maxRetryAfter is capped': {
    server: [status(503, { 'Retry-After': '3600' }), done],
    options: { retry: { maxRetryAfter: 20_000 } },
    outcome: 'succeeded',
    requests: 2,
    gaps: [20_000],
  },
  '429 with RateLimit-Reset': {
    server: [status(429, { 'RateLimit-Reset': '4' }), done],
    outcome: 'succeeded',
    requests: 2,
    gaps: [4000],
  },
  '503 forever: gives up after retry.limit': {
    server: [status(503)],
    outcome: RetryLimitError,
    requests: 5,
    gaps: [1000, 2000, 4000, 8000],
    message: 'Gave up after 5 failed attempts in a row: HTTP 503',
  },
  'a network outage longer than the retry budget': {
    server: [running(3), network],
    options: { retry: 3 },
    outcome: RetryLimitError,
    requests: 4,
    message: 'Network error',
  },
  'a slow request past requestTimeout, then back': {
    server: [{ wait: 20_000, send: running(5) }, done],
    options: { requestTimeout: 3000 },
    outcome: 'succeeded',
    requests: 2,
    gaps: [3000 + 1000],
  },
  'every request too slow': {
    server: [{ wait: 20_000, send: running(5) }],
    options: { requestTimeout: 1000, retry: 2 },
    outcome: RetryLimitError,
    requests: 2,
    message: 'within 1000 ms (requestTimeout)',
  },
  'slow responses never overlap': {
    server: [{ wait: 2500, send: running(5) }, { wait: 2500, send: running(6) }, done],
    outcome: 'succeeded',
    requests: 3,
    gaps: [3000, 3000],
  },
  'Retry-After on a 200 paces the next poll': {
    server: [status(200, { 'Retry-After': '3', 'content-type': 'application/json' }, '{"status":"running"}'), done],
    outcome: 'succeeded',
    requests: 2,
    gaps: [3000],
  },
  'poll_after in the body paces the next poll': {
    server: [{ status: 'queued', poll_after: 2 }, done],
    outcome: 'succeeded',
    requests: 2,
    gaps: [2000],
  },
  'poll_after below pollInterval is raised to it': {
    server: [{ status: 'queued', retry_after: 0.1 }, done],
    options: { pollInterval: 1000 },
    outcome: 'succeeded',
    requests: 2,
    gaps: [1000],
  },
  '60 attempts every 5 s: maxAttempts with timeoutMessage': {
    server: [running(1)],
    options: { pollInterval: 5000, maxAttempts: 60, timeoutMessage: 'Still running: we will e-mail you.' },
    outcome: PollingLimitError,
    requests: 60,
    message: 'Still running: we will e-mail you.',
    run: 400_000,
  },
  'an overall timeout': {
    server: [running(1)],
    options: { pollInterval: 1000, timeout: 10_000 },
    outcome: PollingLimitError,
    requests: 10,
    message: 'Gave up after 10 s (timeout)',
  },
  'a job that stops changing: staleTimeout': {
    server: [running(1), running(2), running(2)],
    options: { pollInterval: 1000, staleTimeout: 5000 },
    outcome: PollingLimitError,
    requests: 7,
    message: 'has not changed for 5 s (staleTimeout)',
  },
  'an id the server does not know stays PENDING: startTimeout': {
    server: [{ state: 'x', status: 'PENDING' }],
    options: { pollInterval: 1000, startTimeout: 4000 },
    outcome: PollingLimitError,
    requests: 5,
    message: 'Celery, for one, reports unknown ids as PENDING',
  },
}

describe('fault matrix', () => {
  it.each(Object.entries(MATRIX))('%s', async (_, row) => {
    vi.useFakeTimers({ now: Date.UTC(2030, 0, 1) })
    vi.spyOn(Math, 'random').mockReturnValue(1)
    const served = serveJob('/jobs/9/', row.server)
    const onComplete = vi.fn()
    const onError = vi.fn()
    const job = pollJob(`${ORIGIN}/jobs/9/`, { ...row.options, onComplete, onError })
    const settled = job.done.then(
      () => 'succeeded' as const,
      (error: ProgressPollingError) => error,
    )
    await vi.advanceTimersByTimeAsync(row.run ?? 120_000)
    const outcome = await settled
    if (row.outcome === 'succeeded') {
      expect(outcome).toBe('succeeded')
      expect(job.snapshot?.status).toBe('succeeded')
    } else {
      expect(outcome).toBeInstanceOf(row.outcome)
      if (row.outcome === JobFailedError || row.outcome === JobCancelledError) {
        const status = row.outcome === JobCancelledError ? 'cancelled' : 'failed'
        expect(job.snapshot).toMatchObject({ status, terminal: true })
        expect(job.snapshot?.connection).toBeUndefined()
      } else {
        // Polling gave up: the job keeps what the server last said of it, and never claims it failed.
        expect(job.snapshot).toMatchObject({ terminal: false, connection: 'lost' })
        expect(job.snapshot?.status).not.toBe('failed')
        expect((outcome as ProgressPollingError).snapshot).toBe(job.snapshot)
      }
      if (row.message) expect((outcome as Error).message).toContain(row.message)
    }
    expect(served.requests).toHaveLength(row.requests)
    if (row.gaps) expect(gaps(served.times)).toEqual(row.gaps)
    expect(onComplete.mock.calls.length + onError.mock.calls.length).toBe(1)
    expect(served.maxInFlight).toBe(1)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('uses a NetworkError as the cause of a network outage', async () => {
    serveJob('/jobs/9/', [network])
    const error = await pollJob(`${ORIGIN}/jobs/9/`, { retry: { limit: 2, backoffLimit: 1 } }).done.catch((e) => e)
    expect(error.cause).toBeInstanceOf(NetworkError)
  })

  it('uses a RequestTimeoutError as the cause when every request is too slow', async () => {
    vi.useFakeTimers()
    serveJob('/jobs/9/', [{ wait: 20_000, send: running(5) }])
    const job = pollJob(`${ORIGIN}/jobs/9/`, { requestTimeout: 1000, retry: 2 })
    await vi.advanceTimersByTimeAsync(10_000)
    expect((await job.done.catch((e) => e)).cause).toBeInstanceOf(RequestTimeoutError)
  })
})
