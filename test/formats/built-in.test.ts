import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { toSnapshot } from '../../src/formats/index'
import { defaultBody } from '../helpers/job-server'
import { at, NOW, read, snap } from './helpers'

beforeEach(() => vi.useFakeTimers({ now: NOW }))
afterEach(() => vi.useRealTimers())

const started = new Date('2024-05-01T10:00:00Z')

describe('default format', () => {
  const body = (status: string, processed: number, extra = {}) =>
    defaultBody(status, processed, {
      current_message: `Row ${processed}`,
      started_at: '2024-05-01T10:00:00Z',
      duration: 20,
      ...extra,
    })
  it('in progress', () => {
    expect(read(body('in_progress', 40))).toEqual(
      snap('running', 40, 'default', {
        processed: 40,
        total: 100,
        failed: 0,
        id: 'abc-123',
        message: 'Row 40',
        startedAt: started,
        elapsedMs: 20_000,
        etaMs: 30_000,
      }),
    )
  })
  it('succeeded', () => {
    expect(read(body('completed', 100, { completed_at: '2024-05-01T10:00:25Z', duration: 25 }))).toEqual(
      snap('succeeded', 100, 'default', {
        processed: 100,
        total: 100,
        failed: 0,
        id: 'abc-123',
        message: 'Row 100',
        startedAt: started,
        completedAt: new Date('2024-05-01T10:00:25Z'),
        elapsedMs: 25_000,
      }),
    )
  })
  it('failed, keeping the last percent', () => {
    expect(read(body('failed', 100, { failed_items: 1, error: 'Row 41: bad e-mail' }), { previous: at(40) })).toEqual(
      snap('failed', 40, 'default', {
        processed: 100,
        total: 100,
        failed: 1,
        id: 'abc-123',
        message: 'Row 100',
        error: { message: 'Row 41: bad e-mail' },
        startedAt: started,
        elapsedMs: 20_000,
      }),
    )
  })
})

describe('generic shape', () => {
  it('in progress', () => {
    expect(
      read({ status: 'running', progress: 42, processed: 84, total: 200, message: 'Row 84', step: 'import' }),
    ).toEqual(snap('running', 42, 'generic', { processed: 84, total: 200, message: 'Row 84', step: 'import' }))
  })
  it('succeeded', () => {
    expect(read({ status: 'succeeded', progress: 100, result: { rows: 200 } })).toEqual(
      snap('succeeded', 100, 'generic', { result: { rows: 200 } }),
    )
  })
  it('failed', () => {
    expect(
      read({ status: 'failed', progress: 42, error: { code: 'BadRow', message: 'Row 85: invalid email' } }),
    ).toEqual(snap('failed', 42, 'generic', { error: { code: 'BadRow', message: 'Row 85: invalid email' } }))
  })
  it('a stage-based job with the server’s list of stages: the bar shows the stages done', () => {
    expect(read({ status: 'indexing', steps: ['uploading', 'indexing', 'analyzing'] })).toEqual(
      snap('running', (1 / 3) * 100, 'generic', { step: 'indexing', steps: ['uploading', 'indexing', 'analyzing'] }),
    )
  })
})

describe('celery-progress', () => {
  const progress = (current: number, total: number, percent: number, extra = {}) => ({
    pending: false,
    current,
    total,
    percent,
    ...extra,
  })
  const done = progress(100, 100, 100)
  it('in progress', () => {
    expect(
      read({
        state: 'PROGRESS',
        complete: false,
        success: null,
        progress: progress(3, 10, 30.0, { description: 'Processing row 3' }),
      }),
    ).toEqual(snap('running', 30, 'celery-progress', { processed: 3, total: 10, message: 'Processing row 3' }))
  })
  it('succeeded', () => {
    expect(read({ state: 'SUCCESS', complete: true, success: true, progress: done, result: 45 })).toEqual(
      snap('succeeded', 100, 'celery-progress', { result: 45 }),
    )
  })
  it('failed: 100 % and 100/100 reported, the last percent kept, the placeholders dropped', () => {
    expect(
      read(
        { state: 'FAILURE', complete: true, success: false, progress: done, result: 'division by zero' },
        { previous: at(30) },
      ),
    ).toEqual(snap('failed', 30, 'celery-progress', { error: { message: 'division by zero' } }))
  })
  it('RETRY arrives with complete: true and is a running job waiting for its next attempt', () => {
    const retry = {
      state: 'RETRY',
      complete: true,
      success: false,
      progress: done,
      result: { next_retry_seconds: 10, message: 'HTTPSConnectionPool(host=...' },
    }
    expect(read(retry, { previous: at(30) })).toEqual(
      snap('running', 30, 'celery-progress', { attempt: { number: 2, reason: 'HTTPSConnectionPool(host=...' } }),
    )
    expect(read(retry).percent).toBeNull()
  })
  it('PENDING, not started yet: the 0/100 placeholder is not a count', () => {
    expect(
      read({
        state: 'PENDING',
        complete: false,
        success: null,
        progress: { pending: true, current: 0, total: 100, percent: 0 },
      }),
    ).toEqual(snap('pending', null, 'celery-progress'))
  })
  it('IGNORED (success: null) is over, not a success', () => {
    expect(
      read({ state: 'IGNORED', complete: true, success: null, progress: done, result: 'ignored' }, { previous: at(5) }),
    ).toEqual(snap('cancelled', 5, 'celery-progress', { error: { message: 'ignored' } }))
  })
  it('REVOKED is cancelled', () => {
    expect(
      read({ state: 'REVOKED', complete: true, success: false, progress: done, result: 'Task revoked' }).status,
    ).toBe('cancelled')
  })
  it('an unknown custom state reported complete is a failure', () => {
    expect(
      read({
        state: 'ABORTED',
        complete: true,
        success: false,
        progress: progress(0, 100, 0),
        result: 'Unknown state ABORTED',
      }),
    ).toEqual(snap('failed', null, 'celery-progress', { error: { message: 'Unknown state ABORTED' } }))
  })
  it('a custom running state is a stage', () => {
    expect(read({ state: 'ANALYZING', complete: false, success: null, progress: progress(1, 4, 25) }).step).toBe(
      'analyzing',
    )
  })
  it('the group endpoint has no state', () => {
    expect(read({ complete: false, success: false, progress: { total: 300, current: 120, percent: 40.0 } })).toEqual(
      snap('running', 40, 'celery-progress', { processed: 120, total: 300 }),
    )
    expect(read({ complete: true, success: true, progress: { total: 300, current: 300, percent: 100 } }).status).toBe(
      'succeeded',
    )
  })
})

describe('sidekiq-status', () => {
  const base = { jid: 'a1b2c3', worker: 'ImportJob', args: '[42]', enqueued_at: '1714557600', started_at: '1714557601' }
  const startedAt = new Date(1714557601000)
  it('in progress, every value a string', () => {
    expect(
      read({
        ...base,
        status: 'working',
        updated_at: '1714557630',
        total: '200',
        at: '84',
        pct_complete: '42',
        message: 'Processing row 84',
      }),
    ).toEqual(
      snap('running', 42, 'sidekiq-status', {
        processed: 84,
        total: 200,
        message: 'Processing row 84',
        startedAt,
        elapsedMs: 29_000,
        etaMs: 40_048,
      }),
    )
  })
  it('succeeded, with pct_complete below 100', () => {
    expect(
      read({
        ...base,
        status: 'complete',
        ended_at: '1714557700',
        total: '200',
        at: '190',
        pct_complete: '95',
        message: 'Done',
      }),
    ).toEqual(
      snap('succeeded', 100, 'sidekiq-status', {
        processed: 190,
        total: 200,
        message: 'Done',
        startedAt,
        completedAt: new Date(1714557700000),
        elapsedMs: 99_000,
      }),
    )
  })
  it('failed: no error message is stored, and the last message is not one', () => {
    expect(
      read({
        ...base,
        status: 'failed',
        ended_at: '1714557650',
        total: '200',
        at: '84',
        pct_complete: '42',
        message: 'Processing row 84',
      }),
    ).toEqual(
      snap('failed', 42, 'sidekiq-status', {
        processed: 84,
        total: 200,
        message: 'Processing row 84',
        error: { message: 'The job failed (sidekiq-status stores no error message)' },
        startedAt,
        completedAt: new Date(1714557650000),
        elapsedMs: 49_000,
      }),
    )
  })
  it('{} after the status expired', () => {
    const reading = { format: 'auto' }
    read({ ...base, status: 'working', pct_complete: '5' }, { reading })
    expect(read({}, { reading })).toEqual(
      snap('failed', null, 'sidekiq-status', {
        error: { message: 'The job’s status expired on the server (sidekiq-status keeps it 30 minutes)' },
      }),
    )
  })
  it('retrying is running, waiting for attempt 2, keeping the last percent; interrupted and stopped end it', () => {
    expect(read({ ...base, status: 'retrying', pct_complete: '0' }, { previous: at(42) })).toMatchObject({
      status: 'running',
      percent: 42,
      attempt: { number: 2 },
    })
    expect(read({ ...base, status: 'interrupted' })).toMatchObject({
      status: 'failed',
      error: { message: 'The worker was shut down (interrupted)' },
    })
    expect(read({ ...base, status: 'stopped' }).status).toBe('cancelled')
  })
})

describe('HTTP status only', () => {
  it('a bare 202 is running', () => {
    expect(read(undefined, { status: 202 })).toEqual(snap('running', null, 'http-status'))
  })
  it('200 with a body is done, the body is the result', () => {
    const reading = { format: 'auto' }
    read(undefined, { status: 202, reading })
    expect(read({ id: 7, name: 'report.pdf' }, { reading })).toEqual(
      snap('succeeded', 100, 'http-status', { result: { id: 7, name: 'report.pdf' } }),
    )
  })
  it('204 is done', () => {
    expect(read(undefined, { status: 204, format: 'http-status' })).toEqual(snap('succeeded', 100, 'http-status'))
  })
})

describe('detection', () => {
  it('falls back to generic for an ambiguous body', () => {
    expect(read({ status: 'running' }).format).toBe('generic')
    expect(read({ status: 'Running', progress: 3 }).format).toBe('generic')
  })
  it('names the keys it saw when nothing reads the body', () => {
    expect(() => read({ job: { state: 'x' }, pct: 4 })).toThrow(
      'Expected a JSON object with a "status" (keys: job, pct)',
    )
    expect(() => read(undefined, { status: 200 })).toThrow('Empty response (HTTP 200)')
  })
  it('keeps the format of the first body for the job', () => {
    const reading = { format: 'auto' }
    expect(read({ jid: '1', status: 'working', pct_complete: '5' }, { reading }).format).toBe('sidekiq-status')
    expect(read({ status: 'complete', jid: '1' }, { reading }).format).toBe('sidekiq-status')
  })
  it('uses a forced format', () => {
    expect(read({ status: 'in_progress', total_items: 1 }, { format: 'generic' }).format).toBe('generic')
  })
  const meta = { status: 200, headers: new Headers(), url: '/s' }
  it('turns a parse function that throws into a clear error', () => {
    const parse = () => {
      throw new TypeError("Cannot read properties of undefined (reading 'state')")
    }
    expect(() => toSnapshot({ x: 1 }, meta, { format: 'auto', parse })).toThrow(
      "The `parse` option threw TypeError: Cannot read properties of undefined (reading 'state') from /s",
    )
  })

  it('merges parse over the detected format, or reads any body alone', () => {
    const parse = (body: unknown) => ({ message: `custom ${(body as { n: number }).n}` })
    const { snapshot } = toSnapshot({ status: 'running', n: 3 }, meta, { format: 'auto', parse })
    expect(snapshot).toMatchObject({ status: 'running', message: 'custom 3', format: 'generic' })
    const own = toSnapshot({ job: { state: 'busy', pct: '7' } }, meta, {
      format: 'auto',
      parse: (body: unknown) => ({
        status: (body as { job: { state: string } }).job.state,
        percent: (body as { job: { pct: string } }).job.pct,
      }),
    })
    expect(own.snapshot).toMatchObject({ status: 'running', step: 'busy', percent: 7, format: 'parse' })
  })
})
