// Waiting for a person: the question and its answers in the snapshot, and the actions that
// answer, cancel and retry a job, against a server that records what it receives.
import { delay, HttpResponse, http } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import {
  HttpError,
  JobCancelledError,
  NetworkError,
  type PollJobOptions,
  pollJob,
  RequestTimeoutError,
} from '../../src/index'
import { normalize } from '../../src/snapshot/normalize'
import {
  ORIGIN,
  type Served,
  type Step,
  serveJob,
  server,
  waitingBody as waiting,
  withJobServer,
} from '../helpers/job-server'

withJobServer()

interface Posted {
  url: string
  body: string
  headers: Headers
  credentials: RequestCredentials
}

/** Records every POST to `path` and answers with `reply` (a 204 by default). */
function servePost(
  path: string,
  reply: (request: Request) => Response | Promise<Response> = () => new Response(null, { status: 204 }),
) {
  const posted: Posted[] = []
  server.use(
    http.post(`${ORIGIN}${path}`, async ({ request }) => {
      posted.push({
        url: request.url,
        body: await request.clone().text(),
        headers: request.headers,
        credentials: request.credentials,
      })
      return reply(request)
    }),
  )
  return posted
}

/** Follows `path` with `steps` until `until` holds for the snapshot. */
async function reach(
  served: Served,
  job: ReturnType<typeof pollJob>,
  until: (s: NonNullable<typeof job.snapshot>) => boolean,
) {
  await vi.waitFor(() => expect(job.snapshot && until(job.snapshot)).toBe(true), { timeout: 3000, interval: 5 })
  return served.requests.length
}

const options: PollJobOptions = { pollInterval: 60_000, respondUrl: `${ORIGIN}/jobs/{id}/respond/` }

describe('the question in the snapshot', () => {
  const read = (fields: Record<string, unknown>) => normalize({ status: 'waiting', ...fields }, {})

  it('reads choices as strings or objects with an id or a value, a label and a kind', () => {
    const s = read({
      prompt: 'Go on?',
      choices: [
        'yes',
        { value: 2, label: 'Two' },
        { id: 'no', label: 'No', kind: 'danger' },
        { id: 'p', kind: 'primary' },
      ],
    })
    expect(s.prompt).toBe('Go on?')
    expect(s.choices).toEqual([
      { id: 'yes', label: 'yes' },
      { id: '2', label: 'Two' },
      { id: 'no', label: 'No', kind: 'danger' },
      { id: 'p', label: 'p', kind: 'primary' },
    ])
  })

  it('leaves out items without an id, repeated ids and unknown kinds, and keeps 20 at most', () => {
    const many = Array.from({ length: 30 }, (_, i) => `c${i}`)
    expect(read({ choices: [null, {}, { label: 'x' }, true, 'a', 'a', { id: 'b', kind: 'evil' }] }).choices).toEqual([
      { id: 'a', label: 'a' },
      { id: 'b', label: 'b' },
    ])
    expect(read({ choices: many }).choices).toHaveLength(20)
    expect(read({ choices: 'yes' }).choices).toBeUndefined()
    expect(read({ choices: [] }).choices).toBeUndefined()
  })

  it('keeps a question only while the job waits', () => {
    const running = normalize({ status: 'running', prompt: 'Go on?', choices: ['yes'] }, {})
    expect(running.prompt).toBeUndefined()
    expect(running.choices).toBeUndefined()
  })

  it('reads the default and generic shapes: prompt or question, choices or options, action URLs and the id', async () => {
    const served = serveJob('/jobs/q/', [
      {
        status: 'waiting_input',
        id: 7,
        question: 'Which one?',
        options: ['a', 'b'],
        respond_url: '/r/7',
        cancelUrl: '/c/7',
      },
    ])
    const job = pollJob(`${ORIGIN}/jobs/q/`, options)
    await reach(served, job, (s) => s.status === 'waiting')
    expect(job.snapshot).toMatchObject({
      id: '7',
      prompt: 'Which one?',
      choices: [
        { id: 'a', label: 'a' },
        { id: 'b', label: 'b' },
      ],
      actions: { respond: '/r/7', cancel: '/c/7' },
    })
  })
})

describe('respond()', () => {
  it('POSTs the choice as JSON with the headers and credentials, resolves with the answer, and polls at once', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const served = serveJob('/jobs/j1/', [waiting, waiting, { status: 'running', progress: 60 }])
    const posted = servePost('/jobs/j1/respond/', () => HttpResponse.json({ accepted: true }, { status: 202 }))
    const job = pollJob(`${ORIGIN}/jobs/j1/`, { ...options, headers: { 'X-CSRFToken': 'tok' }, credentials: 'include' })
    await vi.advanceTimersByTimeAsync(10)
    expect(job.snapshot?.choices).toHaveLength(2)
    const before = served.requests.length
    await expect(job.respond('replace')).resolves.toEqual({ accepted: true })
    expect(posted).toHaveLength(1)
    expect(posted[0]?.url).toBe(`${ORIGIN}/jobs/j1/respond/`)
    expect(JSON.parse(posted[0]?.body as string)).toEqual({ choice: 'replace' })
    expect(posted[0]?.headers.get('content-type')).toBe('application/json')
    expect(posted[0]?.headers.get('x-csrftoken')).toBe('tok')
    expect(posted[0]?.credentials).toBe('include')
    // Polled after one round trip, not after the minute-long interval.
    await vi.advanceTimersByTimeAsync(10)
    expect(served.requests.length).toBe(before + 1)
    job.stop()
  })

  it('sends once while the same answer is in flight (a double click)', async () => {
    const served = serveJob('/jobs/j1/', [waiting])
    const posted = servePost('/jobs/j1/respond/', async () => {
      await delay(30)
      return new Response(null, { status: 204 })
    })
    const job = pollJob(`${ORIGIN}/jobs/j1/`, options)
    await reach(served, job, (s) => s.status === 'waiting')
    const first = job.respond('keep')
    const second = job.respond('keep')
    await Promise.all([first, second])
    expect(posted).toHaveLength(1)
    // Once settled, the same answer can be sent again.
    await job.respond('keep')
    expect(posted).toHaveLength(2)
    job.stop()
  })

  it('answers while the next poll is in flight: that poll ends, and one more follows at once', async () => {
    let release = () => {}
    let calls = 0
    const steps: Step[] = [
      waiting,
      () => {
        calls++
        return new Promise<Response>((resolve) => {
          release = () => resolve(HttpResponse.json(waiting))
        })
      },
      { status: 'running', progress: 70 },
    ]
    const served = serveJob('/jobs/j1/', steps)
    servePost('/jobs/j1/respond/')
    const job = pollJob(`${ORIGIN}/jobs/j1/`, { ...options, pollInterval: 20 })
    await vi.waitFor(() => expect(calls).toBe(1), { interval: 5 })
    await job.respond('keep')
    release()
    await reach(served, job, (s) => s.status === 'running')
    expect(served.maxInFlight).toBe(1)
    expect(served.requests).toHaveLength(3)
    job.stop()
  })

  it('rejects a 409 or 410 with an HttpError that keeps the status and the body, and polls at once', async () => {
    for (const status of [409, 410]) {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
      const served = serveJob('/jobs/j1/', [waiting])
      servePost('/jobs/j1/respond/', () => HttpResponse.json({ detail: 'answered by Ann' }, { status }))
      const job = pollJob(`${ORIGIN}/jobs/j1/`, options)
      await vi.advanceTimersByTimeAsync(10)
      const before = served.requests.length
      const error = (await job.respond('keep').catch((e: HttpError) => e)) as HttpError
      expect(error).toBeInstanceOf(HttpError)
      expect(error).toMatchObject({ status, body: { detail: 'answered by Ann' } })
      expect(error.message).toContain(`HTTP ${status}`)
      expect(error.message).toContain('already answered')
      await vi.advanceTimersByTimeAsync(10)
      expect(served.requests.length).toBe(before + 1)
      job.stop()
      vi.useRealTimers()
    }
  })

  it('rejects a 403 as not allowed, and other statuses as refused, without polling', async () => {
    for (const [status, words] of [
      [403, 'not allowed'],
      [500, 'HTTP 500'],
      [400, 'HTTP 400'],
    ] as const) {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
      const served = serveJob('/jobs/j1/', [waiting])
      servePost(
        '/jobs/j1/respond/',
        () => new Response('<h1>no</h1>', { status, headers: { 'content-type': 'text/html' } }),
      )
      const job = pollJob(`${ORIGIN}/jobs/j1/`, options)
      await vi.advanceTimersByTimeAsync(10)
      const before = served.requests.length
      const error = (await job.respond('keep').catch((e: HttpError) => e)) as HttpError
      expect(error).toBeInstanceOf(HttpError)
      expect(error.status).toBe(status)
      expect(error.body).toBeUndefined()
      expect(error.message).toContain(words)
      await vi.advanceTimersByTimeAsync(10)
      expect(served.requests.length).toBe(before)
      job.stop()
      vi.useRealTimers()
    }
  })

  it('rejects with a NetworkError when the answer cannot be sent, and a RequestTimeoutError when it takes too long', async () => {
    const served = serveJob('/jobs/j1/', [waiting])
    servePost('/jobs/j1/respond/', () => HttpResponse.error())
    const job = pollJob(`${ORIGIN}/jobs/j1/`, options)
    await reach(served, job, (s) => s.status === 'waiting')
    await expect(job.respond('keep')).rejects.toBeInstanceOf(NetworkError)
    job.stop()

    servePost('/jobs/j1/respond/', async () => {
      await delay(200)
      return new Response(null, { status: 204 })
    })
    const slow = pollJob(`${ORIGIN}/jobs/j1/`, { ...options, requestTimeout: 20 })
    await reach(served, slow, (s) => s.status === 'waiting')
    const error = (await slow.respond('keep').catch((e: HttpError) => e)) as HttpError
    expect(error).toBeInstanceOf(RequestTimeoutError)
    expect(error.message).toContain('within 20 ms (requestTimeout)')
    slow.stop()

    // A server that answers at once but trickles its body, never ending it, is cut off too.
    servePost('/jobs/j1/respond/', () => {
      const stream = new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"ok":'))
        },
      })
      return new Response(stream, { status: 202, headers: { 'content-type': 'application/json' } })
    })
    const trickle = pollJob(`${ORIGIN}/jobs/j1/`, { ...options, requestTimeout: 50 })
    await reach(served, trickle, (s) => s.status === 'waiting')
    await expect(trickle.respond('keep')).rejects.toBeInstanceOf(RequestTimeoutError)
    trickle.stop()
  })

  it('says how to fix a call that has nowhere to send to, or no choice', async () => {
    const served = serveJob('/jobs/j1/', [{ ...waiting, job_id: undefined }])
    const none = pollJob(`${ORIGIN}/jobs/j1/`, { pollInterval: 60_000 })
    await reach(served, none, (s) => s.status === 'waiting')
    await expect(none.respond('keep')).rejects.toThrow('set the `respondUrl` option')
    // A template with {id}, for a job given by its URL whose status gives no id.
    const noId = pollJob(`${ORIGIN}/jobs/j1/`, options)
    await expect(noId.respond('keep')).rejects.toThrow('cannot fill {id} of the `respondUrl` option')
    await expect(noId.respond(undefined as never)).rejects.toThrow(TypeError)
    none.stop()
    noId.stop()
  })

  it('fills {id} with the id given as the source, or calls a function with it', async () => {
    const served = serveJob('/jobs/42/', [{ status: 'waiting', choices: ['ok'] }])
    const posted = servePost('/answers/42')
    const byId = pollJob(42, {
      url: `${ORIGIN}/jobs/{id}/`,
      respondUrl: `${ORIGIN}/answers/{id}`,
      pollInterval: 60_000,
    })
    await reach(served, byId, (s) => s.status === 'waiting')
    await byId.respond('ok')
    const byFunction = pollJob(42, { url: `${ORIGIN}/jobs/{id}/`, respondUrl: (id) => `${ORIGIN}/answers/${id}` })
    await byFunction.respond('ok')
    expect(posted).toHaveLength(2)
    byId.stop()
  })
})

describe('action URLs sent by the server', () => {
  it('never take a job id for a URL: an id from the body is URL-encoded into the template', async () => {
    const served = serveJob('/jobs/k/', [{ status: 'waiting', choices: ['ok'], job_id: 'https://evil.test/x?a' }])
    const posted = servePost('/jobs/:id/respond/')
    const job = pollJob(`${ORIGIN}/jobs/k/`, options)
    await reach(served, job, (s) => s.status === 'waiting')
    await job.respond('ok')
    expect(posted[0]?.url).toBe(`${ORIGIN}/jobs/https%3A%2F%2Fevil.test%2Fx%3Fa/respond/`)
    job.stop()
  })

  it('are used on the status URL origin, refused elsewhere unless actionOrigins allows it', async () => {
    const served = serveJob('/jobs/b/', [
      {
        status: 'waiting',
        choices: ['ok'],
        respond_url: '/jobs/b/answer',
        cancel_url: 'https://evil.test/steal',
        retry_url: 'javascript:alert(1)',
      },
    ])
    const posted = servePost('/jobs/b/answer')
    const job = pollJob(`${ORIGIN}/jobs/b/`, { pollInterval: 60_000, headers: { 'X-CSRFToken': 'tok' } })
    await reach(served, job, (s) => s.status === 'waiting')
    await job.respond('ok')
    expect(posted[0]?.url).toBe(`${ORIGIN}/jobs/b/answer`)
    await expect(job.cancel()).rejects.toThrow('nowhere to send to')
    await expect(job.retry()).rejects.toThrow('nowhere to send to')
    job.stop()

    const stolen: string[] = []
    server.use(
      http.post('https://evil.test/steal', ({ request }) => {
        stolen.push(request.headers.get('x-csrftoken') ?? '')
        return new Response(null, { status: 204 })
      }),
    )
    const allowed = pollJob(`${ORIGIN}/jobs/b/`, {
      pollInterval: 60_000,
      actionOrigins: ['https://evil.test'],
      headers: { 'X-CSRFToken': 'tok' },
    })
    await reach(served, allowed, (s) => s.status === 'waiting')
    await allowed.cancel()
    expect(stolen).toEqual(['tok'])
    allowed.stop()
  })

  it('give way to the page’s own options', async () => {
    const served = serveJob('/jobs/c/', [{ status: 'running', cancel_url: '/jobs/c/from-body' }])
    const posted = servePost('/jobs/c/from-option')
    const job = pollJob(`${ORIGIN}/jobs/c/`, { pollInterval: 60_000, cancelUrl: `${ORIGIN}/jobs/c/from-option` })
    await reach(served, job, (s) => s.status === 'running')
    await job.cancel()
    expect(posted).toHaveLength(1)
    job.stop()
  })
})

describe('cancel()', () => {
  it('POSTs with no body and polls at once: the job ends cancelled, once', async () => {
    const served = serveJob('/jobs/j2/', [
      { status: 'running', job_id: 'j2', progress: 10 },
      { status: 'cancelled', job_id: 'j2' },
    ])
    const posted = servePost('/jobs/j2/cancel/')
    const onError = vi.fn()
    const job = pollJob(`${ORIGIN}/jobs/j2/`, {
      pollInterval: 60_000,
      cancelUrl: `${ORIGIN}/jobs/{id}/cancel/`,
      onError,
    })
    await reach(served, job, (s) => s.status === 'running')
    const n = served.requests.length
    await expect(job.cancel()).resolves.toBeUndefined()
    expect(posted[0]?.body).toBe('')
    expect(posted[0]?.headers.get('content-type')).toBeNull()
    await expect(job.done).rejects.toBeInstanceOf(JobCancelledError)
    expect(served.requests.length).toBeGreaterThan(n)
    expect(onError).toHaveBeenCalledTimes(1)
  })
})

describe('retry()', () => {
  const failed = { status: 'failed', job_id: 'j3', error: 'Disk full' }
  const follow = async (reply: () => Response, expectUrl: string, extra: PollJobOptions = {}) => {
    const served = serveJob('/jobs/j3/', [failed])
    const next = serveJob('/jobs/j4/', [{ status: 'running', progress: 5 }, { status: 'completed' }])
    servePost('/jobs/j3/retry/', reply)
    const onStart = vi.fn()
    const job = pollJob(`${ORIGIN}/jobs/j3/`, {
      pollInterval: 10,
      retryUrl: `${ORIGIN}/jobs/{id}/retry/`,
      onStart,
      ...extra,
    })
    await expect(job.done).rejects.toThrow('Disk full')
    await job.retry()
    expect(job.url).toBe(expectUrl)
    return { job, onStart, served, next }
  }

  it('follows the job a Location header names as a new run: a new done, onStart again', async () => {
    const { job, onStart, next } = await follow(
      () => new Response(null, { status: 201, headers: { Location: '/jobs/j4/' } }),
      `${ORIGIN}/jobs/j4/`,
    )
    await expect(job.done).resolves.toMatchObject({ status: 'succeeded' })
    expect(onStart).toHaveBeenCalledTimes(2)
    expect(next.requests.length).toBeGreaterThan(0)
  })

  it('follows a status_url, or a job_id put into the url template', async () => {
    const a = await follow(() => HttpResponse.json({ status_url: `${ORIGIN}/jobs/j4/` }), `${ORIGIN}/jobs/j4/`)
    await a.job.done
    const b = await follow(() => HttpResponse.json({ job_id: 'j4' }), `${ORIGIN}/jobs/j4/`, {
      url: `${ORIGIN}/jobs/{id}/`,
    })
    await b.job.done
  })

  it('follows the same URL again when the answer names no job, or one elsewhere', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const { served, job } = await follow(
      () => new Response(null, { status: 202, headers: { Location: 'https://evil.test/jobs/j4/' } }),
      `${ORIGIN}/jobs/j3/`,
    )
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('not following https://evil.test/jobs/j4/'))
    await expect(job.done).rejects.toThrow('Disk full')
    expect(served.requests.length).toBe(2)
    warn.mockRestore()
  })
})
