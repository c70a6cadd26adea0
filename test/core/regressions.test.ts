// Bugs people found in the first release, one test each: every one failed before its fix.
import { HttpResponse } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import * as api from '../../src/index'
import { type JobSnapshot, PollingLimitError, ProgressPollingError, pollJob, registerFormat } from '../../src/index'
import { defaultBody, ORIGIN, serveJob, withJobServer } from '../helpers/job-server'

withJobServer()
const URL = `${ORIGIN}/jobs/r/`
const HOUR = 3_600_000

describe('Infinity means never', () => {
  it('waits for a slow answer with requestTimeout: Infinity', async () => {
    vi.useFakeTimers()
    const served = serveJob('/jobs/r/', [{ wait: 30_000, send: defaultBody('completed', 100) }])
    const job = pollJob(URL, { requestTimeout: Infinity })
    await vi.advanceTimersByTimeAsync(31_000)
    await expect(job.done).resolves.toMatchObject({ status: 'succeeded' })
    expect(served.requests).toHaveLength(1)
  })

  it('waits the 34 days a server asks for with retry.maxRetryAfter: Infinity, sending nothing meanwhile', async () => {
    vi.useFakeTimers()
    const served = serveJob('/jobs/r/', [
      () => new HttpResponse(null, { status: 503, headers: { 'Retry-After': String(34 * 24 * 3600) } }),
      defaultBody('completed', 100),
    ])
    const job = pollJob(URL, { retry: { maxRetryAfter: Infinity } })
    await vi.advanceTimersByTimeAsync(HOUR)
    expect(served.requests).toHaveLength(1)
    expect(job.snapshot?.retry?.delayMs).toBe(34 * 24 * HOUR)
    job.stop()
    expect(vi.getTimerCount()).toBe(0)
  })
})

describe('stop() and restart() from inside a callback on the poll that reaches a limit', () => {
  it('restart() gives the new run its own done, which the old run never settles', async () => {
    vi.useFakeTimers()
    const served = serveJob('/jobs/r/', [defaultBody('in_progress', 1), defaultBody('in_progress', 2)])
    let polls = 0
    const onError = vi.fn()
    const job = pollJob(URL, {
      maxAttempts: 2,
      onError,
      onProgress: () => {
        if (++polls === 2) job.restart()
      },
    })
    const first = job.done
    await vi.advanceTimersByTimeAsync(600)
    expect(job.done).not.toBe(first)
    let settled = false
    job.done.then(
      () => (settled = true),
      () => (settled = true),
    )
    await vi.advanceTimersByTimeAsync(10)
    expect(settled).toBe(false)
    expect(onError).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(600)
    // The new run polls, and reaches its own limit.
    expect(served.requests).toHaveLength(4)
    await expect(job.done).rejects.toBeInstanceOf(PollingLimitError)
    expect(onError).toHaveBeenCalledTimes(1)
  })

  it('stop() ends everything: no error, no lost snapshot, no request', async () => {
    vi.useFakeTimers()
    const served = serveJob('/jobs/r/', [defaultBody('in_progress', 1), defaultBody('in_progress', 2)])
    const seen: JobSnapshot[] = []
    const onError = vi.fn()
    const job = pollJob(URL, { maxAttempts: 2, onError, onProgress: (s) => s.percent === 2 && job.stop() })
    job.subscribe((s) => seen.push(s))
    await vi.advanceTimersByTimeAsync(60_000)
    expect(served.requests).toHaveLength(2)
    expect(onError).not.toHaveBeenCalled()
    expect(seen.map((s) => s.connection)).toEqual([undefined, undefined])
    await expect(job.done).rejects.toBeInstanceOf(api.PollingStoppedError)
    expect(vi.getTimerCount()).toBe(0)
  })
})

describe('server words that are Object.prototype names', () => {
  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])(
    'reads status "%s" as a stage of a running job',
    async (word) => {
      serveJob('/jobs/r/', [{ status: word }])
      const job = pollJob(URL)
      const snapshot = await new Promise<JobSnapshot>((resolve) => job.subscribe(resolve))
      expect(snapshot).toMatchObject({ status: 'running', step: word })
      job.stop()
    },
  )

  it('reads a sidekiq-status body whose status is "constructor"', async () => {
    serveJob('/jobs/r/', [{ jid: 'a1', status: 'constructor', pct_complete: '5' }])
    const job = pollJob(URL)
    const snapshot = await new Promise<JobSnapshot>((resolve) => job.subscribe(resolve))
    expect(snapshot).toMatchObject({ status: 'running', step: 'constructor', percent: 5, format: 'sidekiq-status' })
    job.stop()
  })
})

describe('job ids', () => {
  it.each(['import:42', 'bull:emails:42', 'urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66'])(
    'puts the id %s into the url template instead of taking it for a URL',
    async (id) => {
      const served = serveJob(`/jobs/${encodeURIComponent(id)}/`, [defaultBody('completed', 100)])
      await pollJob(id, { url: `${ORIGIN}/jobs/{id}/` }).done
      expect(served.requests).toHaveLength(1)
    },
  )

  it('refuses a relative URL at once where there is no page to resolve it against (Node)', () => {
    expect(() => pollJob('/jobs/42/')).toThrow(TypeError)
    expect(() => pollJob('/jobs/42/')).toThrow('"/jobs/42/" is relative and there is no page to resolve it against')
  })
})

describe('what reaches onError is always a ProgressPollingError', () => {
  it('for JSON nested 100,000 deep', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`
    serveJob('/jobs/r/', [() => new HttpResponse(deep, { headers: { 'content-type': 'application/json' } })])
    const onError = vi.fn()
    await pollJob(URL, { onError }).done.catch(() => {})
    expect(onError).toHaveBeenCalledTimes(1)
    expect(onError.mock.calls[0]?.[0]).toBeInstanceOf(api.InvalidResponseError)
  })

  it('for a bug in a format, wrapped with the original as its cause', async () => {
    registerFormat('broken-for-test', {
      order: 99,
      detect: () => false,
      read: () => {
        throw new RangeError('Maximum call stack size exceeded')
      },
    })
    serveJob('/jobs/r/', [{ status: 'running' }])
    const error = await pollJob(URL, { format: 'broken-for-test' }).done.catch((e) => e)
    expect(error).toBeInstanceOf(ProgressPollingError)
    expect(error.cause).toBeInstanceOf(RangeError)
    expect(error.message).toBe(`Unexpected RangeError: Maximum call stack size exceeded while following ${URL}`)
  })
})

describe('the module entry', () => {
  it('exports init, for declarative elements in bundled apps', () => {
    expect(typeof api.init).toBe('function')
  })

  it('exports by name only: no internal helper', () => {
    expect(Object.keys(api)).not.toContain('invalidResponse')
    expect(Object.keys(api)).not.toContain('asPollingError')
  })
})

describe('a failure without a reason is worth one more request', () => {
  const failed = { id: '9', state: 'failed', progress: 50, returnvalue: null }
  it.each([
    [
      'the reason arrives on the next answer',
      [{ ...failed, failedReason: 'Disk full on /data' }],
      'Disk full on /data',
    ],
    ['the same answer again: the job failed, without a reason', [failed], 'The job failed'],
    ['a different answer without a reason', [{ ...failed, progress: 51 }], 'The job failed'],
  ])('%s', async (_, next, message) => {
    vi.useFakeTimers()
    registerFormat('bullmq-like', {
      order: 0,
      detect: (body) => !!body && 'returnvalue' in body,
      read: (body) =>
        body ? { status: String(body.state), percent: body.progress, error: body.failedReason } : undefined,
    })
    const served = serveJob('/jobs/r/', [{ ...failed, state: 'active', progress: 40 }, failed, ...next])
    const seen: JobSnapshot[] = []
    const onError = vi.fn()
    const job = pollJob(URL, { onProgress: (s) => seen.push(s), onError })
    await vi.advanceTimersByTimeAsync(700)
    expect(served.requests).toHaveLength(2)
    expect(onError).not.toHaveBeenCalled()
    expect(seen.map((s) => s.status)).toEqual(['running'])
    await vi.advanceTimersByTimeAsync(500)
    await expect(job.done).rejects.toMatchObject({ name: 'JobFailedError', message })
    expect(onError).toHaveBeenCalledTimes(1)
    expect(served.requests).toHaveLength(3)
  })

  it('polling that gives up while it waits ends with the failure the server did report', async () => {
    vi.useFakeTimers()
    serveJob('/jobs/r/', [{ status: 'failed' }, () => new HttpResponse('<html>', { status: 200 })])
    const job = pollJob(URL)
    await vi.advanceTimersByTimeAsync(1000)
    await expect(job.done).rejects.toMatchObject({ name: 'JobFailedError', message: 'The job failed' })
  })

  it('keeps a traceback on the error as detail, the exception line as its message', async () => {
    vi.useFakeTimers()
    const exc = 'Traceback (most recent call last):\n  File "/app/tasks.py", line 12\nValueError: Disk full'
    serveJob('/jobs/r/', [{ status: 'failed', exc_info: exc }])
    const job = pollJob(URL)
    await vi.advanceTimersByTimeAsync(10)
    await expect(job.done).rejects.toMatchObject({ message: 'ValueError: Disk full', detail: exc })
  })
})

describe('a restart from a callback, on a job already known', () => {
  it('leaves the run it was called from: one terminal callback for the run that follows', async () => {
    let failed = false
    serveJob('/jobs/r/', [
      () => HttpResponse.json(failed ? { status: 'failed', error: 'Disk full' } : { status: 'running' }),
    ])
    const other = pollJob(URL, { pollInterval: 60_000 })
    await vi.waitFor(() => expect(other.snapshot?.status).toBe('running'))
    // Joining the known job calls onStart at once, inside restart(): it restarts again, twice.
    let restarts = 0
    const onError = vi.fn()
    const job = pollJob(URL, { pollInterval: 60_000, onError, onStart: () => restarts-- > 0 && job.restart() })
    restarts = 2
    job.restart()
    expect(restarts).toBe(-1)
    failed = true
    job.refresh()
    await expect(job.done).rejects.toThrow('Disk full')
    await expect(other.done).rejects.toThrow('Disk full')
    expect(onError).toHaveBeenCalledTimes(1)
  })
})
