import { describe, expect, it } from 'vitest'
import { defaultFormat } from '../../src/formats/default'
import { generic } from '../../src/formats/generic'
import { toSnapshot } from '../../src/formats/index'
import { normalize, toNumber } from '../../src/snapshot/normalize'
import { mapStatus } from '../../src/snapshot/status'
import type { JobSnapshot } from '../../src/snapshot/types'
import { defaultBody } from '../helpers/job-server'

const response = { status: 200, headers: new Headers({ 'content-type': 'application/json' }), url: '/j/' }
const read = (body: Record<string, unknown>, previous?: JobSnapshot, now?: number) => {
  const format = defaultFormat.detect(body, response) ? defaultFormat : generic
  return normalize(format.read(body, response) ?? { status: '' }, body, previous, { now })
}

describe('status vocabulary', () => {
  it.each([
    ['pending', 'pending queued accepted created scheduled QUEUED Pending'],
    ['running', 'in_progress running working started progress active IN_PROGRESS In-Progress'],
    ['waiting', 'waiting_user waiting_input action_required'],
    ['succeeded', 'completed complete success succeeded finished done SUCCESS Done'],
    ['failed', 'failed failure error FAILURE'],
    ['cancelled', 'cancelled canceled revoked stopped aborted dismissed Canceled REVOKED'],
  ])('maps to %s: %s', (status, words) => {
    for (const word of words.split(' ')) expect(mapStatus(word)).toEqual({ status })
  })

  it('treats an unknown word as a running stage', () => {
    expect(mapStatus('indexing')).toEqual({ status: 'running', step: 'indexing' })
  })
})

describe('the default format', () => {
  it('reads a job in progress', () => {
    const snapshot = read(defaultBody('in_progress', 45))
    expect(snapshot).toEqual({
      status: 'running',
      terminal: false,
      percent: 45,
      processed: 45,
      total: 100,
      failed: 0,
      message: 'Processing row 45',
      id: 'abc-123',
      startedAt: new Date('2025-01-16T10:30:00Z'),
      elapsedMs: 22_500,
      etaMs: 27_500,
      raw: defaultBody('in_progress', 45),
    })
  })

  it('reads a completed job with its timestamps', () => {
    const snapshot = read(defaultBody('completed', 100, { completed_at: '2025-01-16T10:31:00Z', duration: null }))
    expect(snapshot).toMatchObject({ status: 'succeeded', terminal: true, percent: 100, elapsedMs: 60_000 })
    expect(snapshot.etaMs).toBeUndefined()
  })

  it('takes the failure message from error, or from the current message', () => {
    expect(read({ status: 'failed', error: 'Disk full' }).error).toEqual({ message: 'Disk full' })
    expect(read({ status: 'failed', current_message: 'Row 3 is bad' }).error).toEqual({ message: 'Row 3 is bad' })
    expect(read({ status: 'failed', error: { message: 'Bad row', code: 'E42' } }).error).toEqual({
      message: 'Bad row',
      code: 'E42',
    })
    expect(read({ status: 'failed', error: { code: 500 } }).error).toEqual({ message: '500', code: 500 })
    expect(read({ status: 'failed' }).error).toBeUndefined()
  })
})

describe('the generic shape', () => {
  it('reads status, progress, counts, message, step and result', () => {
    const body = { status: 'running', progress: 42, processed: 84, total: 200, message: 'Row 84', step: 'import' }
    expect(read(body)).toMatchObject({ status: 'running', percent: 42, processed: 84, total: 200, step: 'import' })
    expect(read({ status: 'succeeded', result: { rows: 200 } }).result).toEqual({ rows: 200 })
  })
})

describe('shared rules', () => {
  it('parses numbers sent as strings', () => {
    expect(read({ status: 'working', progress: '42', processed: '84', total: '200' })).toMatchObject({
      percent: 42,
      processed: 84,
      total: 200,
    })
    expect(toNumber(' ')).toBeUndefined()
    expect(toNumber('4x')).toBeUndefined()
    expect(toNumber(Number.NaN)).toBeUndefined()
  })

  it('derives percent from processed/total, and clamps it to 0..100', () => {
    expect(read({ status: 'running', processed: 1, total: 3 }).percent).toBeCloseTo(33.333)
    expect(read({ status: 'running', processed: 1, total: 0 }).percent).toBeNull()
    expect(read({ status: 'running', progress: 140 }).percent).toBe(100)
    expect(read({ status: 'running', progress: -5 }).percent).toBe(0)
    expect(read({ status: 'running', progress: { current: 3 } }).percent).toBeNull()
  })

  it('leaves percent null (indeterminate) when nothing tells it', () => {
    expect(read({ status: 'running', message: 'Thinking' }).percent).toBeNull()
  })

  it('decides success from the status, never from percent', () => {
    expect(read({ status: 'running', progress: 100 }).terminal).toBe(false)
    expect(read({ status: 'succeeded', progress: 12 }).percent).toBe(100)
  })

  it('keeps the last percent on failure, even when the server says 100', () => {
    const previous = read({ status: 'running', progress: 37 })
    expect(read({ status: 'failed', progress: 100 }, previous).percent).toBe(37)
    expect(read({ status: 'cancelled', progress: 100 }, previous).percent).toBe(37)
  })

  it('on failure, shows how far its counts say the job got, so the bar and the counts agree', () => {
    const previous = read({ status: 'running', progress: 55, processed: 132, total: 240 })
    const failed = read({ status: 'failed', progress: 100, processed: 144, total: 240, error: 'Disk full' }, previous)
    expect([failed.percent, failed.processed, failed.total]).toEqual([60, 144, 240])
    // Counts of all, or none, say nothing of how far it got.
    expect(read({ status: 'failed', processed: 240, total: 240 }, previous).percent).toBe(55)
  })

  it('computes elapsed time from started_at while running', () => {
    const now = Date.parse('2025-01-16T10:30:10Z')
    const snapshot = read({ status: 'running', progress: 25, started_at: '2025-01-16T10:30:00Z' }, undefined, now)
    expect(snapshot.elapsedMs).toBe(10_000)
    expect(snapshot.etaMs).toBe(30_000)
  })

  it('ignores dates it cannot read', () => {
    expect(read({ status: 'running', started_at: 'yesterday' }).startedAt).toBeUndefined()
  })

  it('keeps the raw body', () => {
    const body = { status: 'running', extra: [1, 2] }
    expect(read(body).raw).toBe(body)
  })
})

describe('toSnapshot', () => {
  it('names the keys it saw when there is no status', () => {
    expect(() => toSnapshot({ state_x: 1, pct: 3 }, response, { format: 'auto' })).toThrow(
      'Expected a JSON object with a "status" (keys: state_x, pct) from /j/ (Content-Type: application/json): "{\\"state_x',
    )
  })
})
