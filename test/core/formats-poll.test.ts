import { HttpResponse } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import { pollJob } from '../../src/index'
import { ORIGIN, serveJob, withJobServer } from '../helpers/job-server'

withJobServer()
const URL = `${ORIGIN}/jobs/3/`

describe('formats while polling', () => {
  it('detects the format on the first body, records it in the snapshot and the debug log', async () => {
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => {})
    serveJob('/jobs/3/', [
      { state: 'SUCCESS', complete: true, success: true, progress: { current: 1, total: 1, percent: 100 }, result: 7 },
    ])
    const job = pollJob(URL, { debug: true })
    await expect(job.done).resolves.toMatchObject({ format: 'celery-progress', result: 7 })
    expect(debug).toHaveBeenCalledWith('[progress-polling]', 'format', 'celery-progress')
  })

  it('rejects an unknown format name, listing the known ones', () => {
    expect(() => pollJob(URL, { format: 'bull' })).toThrow(TypeError)
    expect(() => pollJob(URL, { format: 'bull' })).toThrow(
      'the `format` option must be a known format: auto, default, generic, celery-progress, sidekiq-status, http-status',
    )
  })

  it('reads any body with parse', async () => {
    serveJob('/jobs/3/', [{ job: { state: 'busy', pct: 40 } }, { job: { state: 'done', pct: 100 } }])
    const seen: string[] = []
    const job = pollJob(URL, {
      parse: (body) => {
        const { state, pct } = (body as { job: { state: string; pct: number } }).job
        return { status: state, percent: pct }
      },
    })
    job.subscribe((s) => seen.push(`${s.status}:${s.percent}:${s.format}`))
    await job.done
    expect(seen).toEqual(['running:40:parse', 'succeeded:100:parse'])
  })

  it('follows a 202 with Location to the status it points at, and reads a bare 202 as running', async () => {
    vi.useFakeTimers()
    const served = serveJob('/jobs/3/', [
      () => new HttpResponse(null, { status: 202, headers: { Location: '/operations/9' } }),
    ])
    const operation = serveJob('/operations/9', [
      () => new HttpResponse(null, { status: 202 }),
      () => HttpResponse.json({ rows: 12 }, { status: 200 }),
    ])
    const job = pollJob(URL)
    const seen: string[] = []
    job.subscribe((s) => seen.push(s.status))
    await vi.advanceTimersByTimeAsync(5000)
    expect(served.requests).toHaveLength(1)
    expect(operation.requests).toHaveLength(2)
    // The 202 of each URL is read in turn, then the monitor's 200.
    expect(seen).toEqual(['running', 'running', 'succeeded'])
    await expect(job.done).resolves.toMatchObject({ format: 'http-status', result: { rows: 12 } })
  })

  it('reads the monitor an Operation-Location points at in its own format, not as the 202 was read', async () => {
    vi.useFakeTimers()
    serveJob('/jobs/3/', [
      () => new HttpResponse(null, { status: 202, headers: { 'Operation-Location': `${ORIGIN}/monitor/9` } }),
    ])
    serveJob('/monitor/9', [{ status: 'Running' }, { status: 'Running', percent: 50 }, { status: 'Succeeded' }])
    const job = pollJob(URL)
    const seen: string[] = []
    job.subscribe((s) => seen.push(`${s.status} ${s.format}`))
    await vi.advanceTimersByTimeAsync(600)
    expect(job.snapshot).toMatchObject({ status: 'running', format: 'generic' })
    await vi.advanceTimersByTimeAsync(5000)
    expect(seen).toEqual(['running http-status', 'running generic', 'running generic', 'succeeded generic'])
  })

  it('uses the steps option for the percent of a stage-based job', async () => {
    serveJob('/jobs/3/', [{ status: 'analyzing' }])
    const job = pollJob(URL, { steps: ['uploading', 'indexing', 'analyzing', 'publishing'] })
    await new Promise((resolve) => job.subscribe(resolve))
    expect(job.snapshot).toMatchObject({ status: 'running', step: 'analyzing', percent: 50 })
    job.stop()
  })
})
