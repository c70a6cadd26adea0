// Adaptive polling: maxPollInterval.
import { HttpResponse } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import { pollJob } from '../../src/index'
import { defaultBody, gaps, ORIGIN, serveJob, withJobServer } from '../helpers/job-server'

withJobServer()
const URL = `${ORIGIN}/jobs/a/`

describe('maxPollInterval', () => {
  it('grows the wait ×1.5 while nothing changes, up to maxPollInterval, and snaps back on a change', async () => {
    vi.useFakeTimers()
    const same = defaultBody('in_progress', 10)
    const served = serveJob('/jobs/a/', [
      same,
      same,
      same,
      same,
      same,
      same,
      same,
      defaultBody('in_progress', 20),
      same,
    ])
    pollJob(URL, { maxPollInterval: 3000 })
    await vi.advanceTimersByTimeAsync(60_000)
    expect(gaps(served.times).slice(0, 9)).toEqual([500, 750, 1125, 1688, 2532, 3000, 3000, 500, 500])
  })

  it('by default does not grow', async () => {
    vi.useFakeTimers()
    const served = serveJob('/jobs/a/', [defaultBody('in_progress', 10)])
    pollJob(URL)
    await vi.advanceTimersByTimeAsync(3000)
    expect(new Set(gaps(served.times))).toEqual(new Set([500]))
  })

  it('lets the server pace win: Retry-After on an unchanged 200', async () => {
    vi.useFakeTimers()
    const answer = () => HttpResponse.json(defaultBody('in_progress', 10), { headers: { 'Retry-After': '2' } })
    const served = serveJob('/jobs/a/', [answer])
    pollJob(URL, { maxPollInterval: 10_000 })
    await vi.advanceTimersByTimeAsync(9000)
    expect(new Set(gaps(served.times))).toEqual(new Set([2000]))
  })

  it('is checked: a number of milliseconds', () => {
    expect(() => pollJob(URL, { maxPollInterval: 0 })).toThrow(
      'the `maxPollInterval` option must be a number of milliseconds, 1 or more, got 0',
    )
    expect(() => pollJob(URL, { maxPollInterval: '5s' as never })).toThrow(TypeError)
  })
})
