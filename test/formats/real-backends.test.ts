// @vitest-environment happy-dom
// What real Celery, RQ, Sidekiq and BullMQ endpoints sent while real jobs ran
// (test/fixtures/real-backends.json), read the way a job reads them, one body after another.
// Each test is a bug people saw; every one failed before its fix.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { InvalidResponseError } from '../../src/errors'
import { formats as extras } from '../../src/formats/extra/index'
import { type Reading, toSnapshot } from '../../src/formats/index'
import { formats } from '../../src/formats/registry'
import type { JobSnapshot } from '../../src/snapshot/types'
import { createView } from '../../src/view/render'
import data from '../fixtures/real-backends.json'
import { VIEW } from '../helpers/view'

type Body = Record<string, unknown>
const fixtures = data as Record<keyof typeof data, Body[]>

/** Reads `bodies` in order as one job's answers; returns every snapshot, without `raw`. */
function follow(bodies: Body[], options: { format?: string; headers?: Record<string, string> } = {}) {
  let reading: Reading = { format: options.format ?? 'auto' }
  let previous: JobSnapshot | undefined
  return bodies.map((body) => {
    const meta = { status: 200, headers: new Headers(options.headers), url: '/status' }
    const read = toSnapshot(body, meta, reading, previous)
    reading = read.reading
    previous = read.snapshot
    const { raw, ...rest } = read.snapshot
    return rest
  })
}
const last = <T>(list: T[]): T => list[list.length - 1] as T

/** Runs `fn` as on a page that did not load `progress-polling/formats`. */
function withoutExtras<T>(fn: () => T): T {
  const saved = Object.keys(extras).map((name) => [name, formats.get(name)] as const)
  for (const [name] of saved) formats.delete(name)
  try {
    return fn()
  } finally {
    for (const [name, format] of saved) if (format) formats.set(name, format)
  }
}

/** What the widget shows for a snapshot: the status label, the percent and the message line. */
function shown(snapshot: Omit<JobSnapshot, 'raw'>) {
  const view = createView(VIEW)
  view.render({ ...snapshot, raw: undefined })
  const text = (selector: string) => view.root.querySelector(selector)?.textContent ?? ''
  const stats = [...view.root.querySelectorAll('.pp-stats > :not([hidden])')].map((part) => part.textContent)
  return { label: text('.pp-label'), percent: text('.pp-percent'), message: text('.pp-message'), stats }
}

const TRACEBACK = (fixtures.rqFlatFail.at(-1) as Body).exc_info

describe('celery-progress: the placeholders of a finished or waiting task are not its counts', () => {
  it('a task that processed 7 rows ends with 7 of 7, not 100 of 100; before it reports, no count at all', () => {
    const snapshots = follow(fixtures.celeryProgressOk)
    expect(snapshots[0]).toEqual({ status: 'pending', terminal: false, percent: null, format: 'celery-progress' })
    expect(last(snapshots)).toEqual({
      status: 'succeeded',
      terminal: true,
      percent: 100,
      processed: 7,
      total: 7,
      result: { rows: 7 },
      format: 'celery-progress',
    })
    expect(shown(last(snapshots)).stats).toEqual(['7 of 7'])
    expect(shown(snapshots[0] as JobSnapshot).stats).toEqual([])
  })

  it('a task that raised ends failed at 40 % with 4 of 10 and the reason, not 100 of 100', () => {
    const end = last(follow(fixtures.celeryProgressFail))
    expect(end).toMatchObject({ status: 'failed', percent: 40, processed: 4, total: 10 })
    expect(end.error).toEqual({ message: 'Disk full on /data' })
    expect(shown(end)).toMatchObject({ label: 'Failed', percent: '40%', message: 'Disk full on /data' })
  })

  it('RETRY (complete: true) is a running task waiting for attempt 2, with its reason, then 6 of 6', () => {
    const bodies = [...fixtures.celeryProgressRetry]
    bodies.splice(4, 0, {
      state: 'RETRY',
      complete: true,
      success: false,
      progress: { pending: false, current: 100, total: 100, percent: 100 },
      result: { when: '2026-11-24 22:41:03.101214', message: 'Retry in 5s: SMTPServerDisconnected' },
    })
    const snapshots = follow(bodies)
    expect(snapshots[4]).toMatchObject({
      status: 'running',
      terminal: false,
      percent: 83.33,
      processed: 5,
      total: 6,
      attempt: { number: 2, reason: 'Retry in 5s: SMTPServerDisconnected' },
    })
    expect(shown(snapshots[4] as JobSnapshot)).toMatchObject({
      label: 'Retrying (attempt 2)',
      message: 'Retry in 5s: SMTPServerDisconnected',
    })
    expect(last(snapshots)).toMatchObject({ status: 'succeeded', processed: 6, total: 6, result: { sent: 6 } })
    expect(last(snapshots).attempt).toBeUndefined()
  })
})

describe("a job's own retry is running, not failed and not pending", () => {
  it('Sidekiq under its default retries: retrying keeps 50 % and 5 of 10, attempt 2', () => {
    const end = last(follow(fixtures.sidekiqRetrying))
    expect(end).toMatchObject({ status: 'running', terminal: false, percent: 50, processed: 5, total: 10 })
    expect(end.attempt).toEqual({ number: 2 })
    expect(shown(end)).toMatchObject({ label: 'Retrying (attempt 2)', message: 'Processed 5 of 10' })
  })

  it('a Rails controller passing "retrying" on: the reason from its result, never the reconnecting template', () => {
    const end = last(follow(fixtures.railsRetrying))
    expect(end).toMatchObject({ status: 'running', percent: 50, attempt: { number: 2, reason: 'Model overloaded' } })
    const seen = shown(end)
    expect(seen).toMatchObject({ label: 'Retrying (attempt 2)', message: 'Model overloaded', percent: '50%' })
    expect(JSON.stringify(seen)).not.toMatch(/Reconnecting|next try/)
  })

  it('counts each new retry: working again, then retrying again, is attempt 3', () => {
    const [working, , , , retrying] = fixtures.sidekiqRetrying as Body[]
    const snapshots = follow([working, retrying, working, retrying, retrying] as Body[])
    expect(snapshots.map((s) => s.attempt?.number)).toEqual([undefined, 2, undefined, 3, 3])
  })

  it('BullMQ delayed with a failedReason: attempt 2 of 3 with the reason', () => {
    const end = last(
      follow([
        { id: '3', state: 'active', progress: 30, returnvalue: null, attemptsMade: 0, opts: { attempts: 3 } },
        {
          id: '3',
          state: 'delayed',
          progress: 30,
          returnvalue: null,
          attemptsMade: 1,
          failedReason: 'ECONNRESET',
          opts: { attempts: 3 },
        },
      ]),
    )
    expect(end).toMatchObject({ status: 'running', percent: 30, attempt: { number: 2, of: 3, reason: 'ECONNRESET' } })
    expect(shown(end).label).toBe('Retrying (attempt 2 of 3)')
  })
})

describe('RQ: the reason is the exception line of exc_info, with the whole traceback kept', () => {
  it.each([
    ['the JSend-envelope tutorial shape, built in', 'rqJsendFail', false, 'generic'],
    ['the JSend-envelope tutorial shape, with the rq adapter', 'rqJsendFail', true, 'rq'],
    ['a flat shape', 'rqFlatFail', false, 'generic'],
  ] as const)('%s', (_, name, loaded, format) => {
    const run = () => follow(fixtures[name])
    const snapshots = loaded ? run() : withoutExtras(run)
    expect(snapshots.map((s) => s.status)).toEqual(['running', 'running', 'running', 'running', 'failed'])
    expect(snapshots[2]).toMatchObject({ percent: 40, message: 'Exported 4 of 10 rows', format })
    const end = last(snapshots)
    expect(end).toMatchObject({ percent: 50, message: 'Exported 5 of 10 rows' })
    expect(end.error).toEqual({ message: 'ValueError: Disk full on /data', detail: TRACEBACK })
    expect(shown(end).message).toBe('ValueError: Disk full on /data')
  })
})

describe('envelopes: the request said success, the job did not', () => {
  it('JSend: the first poll of a queued job is not "Completed 100 %"', () => {
    const first = withoutExtras(() =>
      follow([{ status: 'success', data: { task_id: 'a', task_status: 'queued', task_result: null } }]),
    )[0]
    expect(first).toMatchObject({ status: 'pending', terminal: false, percent: null })
  })
  it.each([
    [{ status: 'ok', data: { status: 'running', progress: 30 } }, 'running', 30],
    [{ status: 'completed', job: { status: 'failed', error: 'Quota exceeded' } }, 'failed', null],
    [{ status: 'success', task: { state: 'in_progress', percent: 12 } }, 'running', 12],
  ])('%j is %s', (body, status, percent) => {
    expect(withoutExtras(() => follow([body]))[0]).toMatchObject({ status, percent })
  })
  it('an ordinary body with a data object of its own is read as it is', () => {
    expect(follow([{ status: 'in_progress', progress: 20, data: { status: 'draft' } }])[0]).toMatchObject({
      status: 'running',
      percent: 20,
    })
  })
})

describe('BullMQ', () => {
  it("Bull Board's job JSON, built in: the bar follows job.progress and the failure has its reason", () => {
    const snapshots = withoutExtras(() => follow(fixtures.bullBoardFail))
    expect(snapshots.map((s) => s.percent)).toEqual([0, 10, 40, 50, 50])
    expect(last(snapshots)).toMatchObject({ status: 'failed', format: 'generic' })
    expect(last(snapshots).error).toEqual({
      message: 'Disk full on /data',
      detail:
        'Error: Disk full on /data\n    at Worker.processFn (file:///app/worker.js:12:11)\n    at async /app/tasks.py',
    })
  })

  it("Bull Board's job JSON with the adapter loaded: the same", () => {
    const snapshots = follow(fixtures.bullBoardFail)
    expect(snapshots.map((s) => s.percent)).toEqual([0, 10, 40, 50, 50])
    expect(last(snapshots)).toMatchObject({
      status: 'failed',
      format: 'bullmq',
      error: { message: 'Disk full on /data' },
    })
  })

  it('{ ...job.toJSON(), state } with the adapter: succeeded with its return value; failed with the reason', () => {
    expect(last(follow(fixtures.bullmqOk))).toMatchObject({
      status: 'succeeded',
      percent: 100,
      result: { rows: 1000, file: 'report.csv' },
      format: 'bullmq',
      elapsedMs: 2051,
    })
    const failed = last(follow(fixtures.bullmqFail))
    expect(failed).toMatchObject({ status: 'failed', percent: 50, error: { message: 'Disk full on /data' } })
    expect(failed.error?.detail).toMatch(/^Error: Disk full on \/data\n {4}at Worker/)
  })

  it('a trimmed { id, status, progress, result, error }: failed at 50 % with the reason, built in', () => {
    const end = last(withoutExtras(() => follow(fixtures.bullmqTrimmedFail)))
    expect(end).toMatchObject({ status: 'failed', percent: 50, error: { message: 'Disk full on /data' } })
  })

  it('{ state, progress } alone is detected by the adapter', () => {
    expect(follow([{ state: 'active', progress: 40 }])[0]).toMatchObject({ status: 'running', format: 'bullmq' })
  })

  it('without the adapter, the error names the import and the script file that read it', () => {
    const error = withoutExtras(() => {
      try {
        follow([{ state: 'active', progress: 40 }])
      } catch (caught) {
        return caught
      }
    }) as InvalidResponseError
    expect(error).toBeInstanceOf(InvalidResponseError)
    expect(error.message).toContain('BullMQ')
    expect(error.message).toContain("import 'progress-polling/formats'")
    expect(error.message).toContain('dist/progress-polling.formats.global.min.js')
  })
})

describe('the default format reads the keys of later bodies too', () => {
  it('the demo\'s "Stages" job keeps its messages after a first body in the default format', () => {
    const snapshots = follow([
      { status: 'pending', total_items: 240, processed_items: 0, current_message: 'Waiting for a worker…' },
      { status: 'uploading', message: 'Stage: uploading' },
      { status: 'complete', message: 'Video analysed', result: { scenes: 42 } },
    ])
    expect(snapshots.map((s) => s.message)).toEqual(['Waiting for a worker…', 'Stage: uploading', 'Video analysed'])
    expect(last(snapshots).format).toBe('default')
    expect(shown(last(snapshots)).message).toBe('Video analysed')
  })

  it("the first users' Django endpoint ends with its counts and its own words", () => {
    const end = last(follow(fixtures.djangoDefault))
    expect(end).toMatchObject({ status: 'succeeded', percent: 100, processed: 20, total: 20, elapsedMs: 2100 })
    expect(shown(end).message).toBe('Traitement terminé')
  })

  it('Sidekiq that succeeds ends with 8 of 8 and its message', () => {
    expect(last(follow(fixtures.sidekiqOk))).toMatchObject({
      status: 'succeeded',
      percent: 100,
      processed: 8,
      total: 8,
      message: 'Processed 8 of 8',
    })
  })
})

describe('percent as text', () => {
  it.each([
    ['45%', 45],
    ['46 %', 46],
    ['47,5', 47.5],
    [' 48.5 % ', 48.5],
    ['12 of 20', null],
  ])('%j is %s', (progress, percent) => {
    expect(follow([{ status: 'running', progress }])[0]?.percent).toBe(percent)
  })
})

describe('clocks', () => {
  const NOW = Date.parse('2026-11-24T12:00:00Z')
  beforeEach(() => vi.useFakeTimers({ now: NOW }))
  afterEach(() => vi.useRealTimers())
  const body = (startedAt: number) => ({
    status: 'in_progress',
    progress_percentage: 25,
    started_at: new Date(startedAt).toISOString(),
  })

  it.each([
    ['10 min ahead', 600_000],
    ['10 min behind', -600_000],
  ])('a server %s: elapsed from its own Date header, 20 s, and 60 s left', (_, skew) => {
    const server = NOW + skew
    const [snapshot] = follow([body(server - 20_000)], { headers: { date: new Date(server).toUTCString() } })
    expect(snapshot).toMatchObject({ elapsedMs: 20_000, etaMs: 60_000 })
    expect(shown(snapshot as JobSnapshot).stats).toEqual(['20 sec elapsed', '~1 min left'])
  })

  it('a Date header within two seconds leaves the browser clock in charge', () => {
    const [snapshot] = follow([body(NOW - 20_000)], { headers: { date: new Date(NOW + 1500).toUTCString() } })
    expect(snapshot?.elapsedMs).toBe(20_000)
  })

  it('duration: 1e306 is no duration: nothing shows "Infinity h NaN min"', () => {
    const [snapshot] = follow([{ ...body(NOW - 20_000), duration: 1e306 }])
    expect(snapshot?.elapsedMs).toBeUndefined()
    expect(snapshot?.etaMs).toBeUndefined()
    expect(JSON.stringify(shown(snapshot as JobSnapshot))).not.toMatch(/Infinity|NaN/)
  })
})
