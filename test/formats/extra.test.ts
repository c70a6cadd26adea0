import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import '../../src/formats/extra/index'
import { at, NOW, read, snap } from './helpers'

beforeEach(() => vi.useFakeTimers({ now: NOW }))
afterEach(() => vi.useRealTimers())

describe('celery (Grinberg pattern, Flower, result-backend meta)', () => {
  it('in progress: state is the state, status a message', () => {
    expect(read({ state: 'PROGRESS', current: 17, total: 42, status: 'Loading silent orbiter...' })).toEqual(
      snap('running', (17 / 42) * 100, 'celery', { processed: 17, total: 42, message: 'Loading silent orbiter...' }),
    )
  })
  it('succeeded', () => {
    expect(read({ state: 'SUCCESS', current: 100, total: 100, status: 'Task completed!', result: 42 })).toEqual(
      snap('succeeded', 100, 'celery', { processed: 100, total: 100, message: 'Task completed!', result: 42 }),
    )
  })
  it('failed: the message is the error, the 1/1 counts do not make 100 %', () => {
    expect(read({ state: 'FAILURE', current: 1, total: 1, status: 'division by zero' }, { previous: at(40) })).toEqual(
      snap('failed', 40, 'celery', {
        processed: 1,
        total: 1,
        message: 'division by zero',
        error: { message: 'division by zero' },
      }),
    )
  })
  it('Flower: the result, and the repr of the exception', () => {
    expect(read({ 'task-id': 'c60be250', state: 'SUCCESS', result: 3 })).toEqual(
      snap('succeeded', 100, 'celery', { result: 3 }),
    )
    expect(
      read({
        'task-id': 'c60be250',
        state: 'FAILURE',
        result: "ZeroDivisionError('division by zero')",
        traceback: 'Traceback ...',
      }),
    ).toEqual(snap('failed', null, 'celery', { error: { message: "ZeroDivisionError('division by zero')" } }))
  })
  it('the result-backend meta: status is the state, the counts are in result', () => {
    expect(
      read({
        status: 'PROGRESS',
        result: { current: 3, total: 10 },
        traceback: null,
        children: [],
        date_done: null,
        task_id: 'd9b1',
      }),
    ).toEqual(snap('running', 30, 'celery', { processed: 3, total: 10 }))
    const failure = {
      status: 'FAILURE',
      result: { exc_type: 'ZeroDivisionError', exc_message: ['division by zero'], exc_module: 'builtins' },
      traceback: 'Traceback ...',
      children: [],
      date_done: '2024-05-01T10:00:03.123456+00:00',
      task_id: 'd9b1',
    }
    expect(read(failure)).toEqual(
      snap('failed', null, 'celery', {
        error: { message: 'division by zero' },
        completedAt: new Date('2024-05-01T10:00:03.123Z'),
      }),
    )
  })
  it('RETRY is a running job waiting for attempt 2, keeping the last percent; a custom state is a stage', () => {
    expect(read({ state: 'RETRY', current: 5, total: 10, status: 'Retrying' }, { previous: at(50) })).toEqual(
      snap('running', 50, 'celery', { message: 'Retrying', attempt: { number: 2 } }),
    )
    expect(read({ state: 'ANALYZING', current: 1, total: 4, status: 'Scenes' })).toMatchObject({
      status: 'running',
      step: 'analyzing',
    })
    expect(read({ state: 'REVOKED', status: 'Task revoked' }).status).toBe('cancelled')
  })
})

describe('activejob-status', () => {
  it('in progress: progress is a count out of total', () => {
    expect(read({ status: 'working', progress: 84, total: 200 })).toEqual(
      snap('running', 42, 'activejob-status', { processed: 84, total: 200 }),
    )
  })
  it('succeeded', () => {
    expect(read({ status: 'completed', progress: 200, total: 200 })).toEqual(
      snap('succeeded', 100, 'activejob-status', { processed: 200, total: 200 }),
    )
  })
  it('failed, with the exception message', () => {
    expect(
      read({ status: 'failed', progress: 42, total: 100, exception: { class: 'RuntimeError', message: 'boom' } }),
    ).toEqual(snap('failed', 42, 'activejob-status', { processed: 42, total: 100, error: { message: 'boom' } }))
  })
})

describe('rq (testdriven.io pattern)', () => {
  const envelope = (task_status: string, task_result: unknown = null) => ({
    status: 'success',
    data: { task_id: 'b8f1c5e2', task_status, task_result },
  })
  it('in progress: status is an envelope flag, the state is data.task_status', () => {
    expect(read(envelope('started'))).toEqual(snap('running', null, 'rq'))
  })
  it('succeeded', () => {
    expect(read(envelope('finished', true))).toEqual(snap('succeeded', 100, 'rq', { result: true }))
  })
  it('failed', () => {
    expect(read(envelope('failed'), { previous: at(20) })).toEqual(snap('failed', 20, 'rq'))
  })
  it('{ "status": "error" }: the job expired or is unknown', () => {
    const reading = { format: 'auto' }
    read(envelope('queued'), { reading })
    expect(read({ status: 'error' }, { reading })).toEqual(
      snap('failed', null, 'rq', {
        error: { message: 'The server no longer knows the job (RQ keeps results 500 s by default)' },
      }),
    )
  })
  it('scheduled (perhaps a retry) and deferred are pending; canceled and stopped are cancelled', () => {
    expect(read(envelope('scheduled')).status).toBe('pending')
    expect(read(envelope('deferred')).status).toBe('pending')
    expect(read(envelope('canceled')).status).toBe('cancelled')
    expect(read(envelope('stopped')).status).toBe('cancelled')
  })
})

describe('bullmq / bull', () => {
  it('in progress, with a number', () => {
    expect(
      read({ id: '42', state: 'active', progress: 37, returnvalue: null, failedReason: null, attemptsMade: 0 }),
    ).toEqual(snap('running', 37, 'bullmq'))
  })
  it('in progress, with an object', () => {
    expect(
      read({ id: '42', state: 'active', progress: { current: 37, total: 100, stage: 'encoding' }, returnvalue: null }),
    ).toEqual(snap('running', 37, 'bullmq', { processed: 37, total: 100, step: 'encoding' }))
  })
  it('succeeded', () => {
    expect(
      read({
        id: '42',
        state: 'completed',
        progress: 100,
        returnvalue: { url: 'https://cdn.example.com/out.mp4' },
        finishedOn: 1714557700123,
      }),
    ).toEqual(
      snap('succeeded', 100, 'bullmq', {
        result: { url: 'https://cdn.example.com/out.mp4' },
        completedAt: new Date(1714557700123),
      }),
    )
  })
  it('failed', () => {
    expect(
      read({
        id: '42',
        state: 'failed',
        progress: 37,
        returnvalue: null,
        failedReason: 'ENOENT: no such file',
        attemptsMade: 3,
        finishedOn: 1714557650123,
      }),
    ).toEqual(
      snap('failed', 37, 'bullmq', {
        error: { message: 'ENOENT: no such file' },
        completedAt: new Date(1714557650123),
      }),
    )
  })
  it('failedReason while a retry waits is not a failure but attempt 2 of 3; waiting means queued', () => {
    expect(
      read(
        { id: '42', state: 'delayed', progress: 37, failedReason: 'ETIMEDOUT', attemptsMade: 1, opts: { attempts: 3 } },
        { previous: at(37) },
      ),
    ).toEqual(snap('running', 37, 'bullmq', { attempt: { number: 2, of: 3, reason: 'ETIMEDOUT' } }))
    expect(read({ id: '42', state: 'waiting', progress: 0, returnvalue: null }).status).toBe('pending')
    expect(read({ id: '42', status: 'unknown', returnvalue: null }, { format: 'bullmq' }).status).toBe('failed')
  })
})

describe('laravel-batch', () => {
  const batch = (fields: Record<string, unknown>) => ({
    id: '9c1f3b2a',
    name: 'Import contacts',
    totalJobs: 10,
    options: [],
    createdAt: '2024-05-01T10:00:00.000000Z',
    cancelledAt: null,
    finishedAt: null,
    ...fields,
  })
  const createdAt = new Date('2024-05-01T10:00:00Z')
  it('in progress', () => {
    expect(read(batch({ pendingJobs: 6, processedJobs: 4, progress: 40, failedJobs: 0 }))).toEqual(
      snap('running', 40, 'laravel-batch', {
        processed: 4,
        total: 10,
        failed: 0,
        message: 'Import contacts',
        startedAt: createdAt,
        elapsedMs: 30_000,
        etaMs: 45_000,
      }),
    )
  })
  it('succeeded', () => {
    expect(
      read(
        batch({
          pendingJobs: 0,
          processedJobs: 10,
          progress: 100,
          failedJobs: 0,
          finishedAt: '2024-05-01T10:00:09.000000Z',
        }),
      ),
    ).toEqual(
      snap('succeeded', 100, 'laravel-batch', {
        processed: 10,
        total: 10,
        failed: 0,
        message: 'Import contacts',
        startedAt: createdAt,
        completedAt: new Date('2024-05-01T10:00:09Z'),
        elapsedMs: 9000,
      }),
    )
  })
  it('failed: a default batch is cancelled at its first failure', () => {
    const t = '2024-05-01T10:00:05.000000Z'
    expect(
      read(batch({ pendingJobs: 6, processedJobs: 4, progress: 40, failedJobs: 1, cancelledAt: t, finishedAt: t })),
    ).toEqual(
      snap('failed', 40, 'laravel-batch', {
        processed: 4,
        total: 10,
        failed: 1,
        message: 'Import contacts',
        error: { message: '1 of 10 jobs failed' },
        startedAt: createdAt,
        completedAt: new Date('2024-05-01T10:00:05Z'),
        elapsedMs: 5000,
      }),
    )
  })
  it('with allowFailures the batch is over when pendingJobs == failedJobs, though finishedAt stays null', () => {
    expect(
      read(batch({ pendingJobs: 1, processedJobs: 9, progress: 90, failedJobs: 1, options: { allowFailures: true } })),
    ).toEqual(
      snap('failed', 90, 'laravel-batch', {
        processed: 9,
        total: 10,
        failed: 1,
        message: 'Import contacts',
        error: { message: '1 of 10 jobs failed' },
        startedAt: createdAt,
        elapsedMs: 30_000,
      }),
    )
  })
  it('not started yet, and cancelled by hand', () => {
    expect(read(batch({ pendingJobs: 10, processedJobs: 0, progress: 0, failedJobs: 0 })).status).toBe('pending')
    const t = '2024-05-01T10:00:05.000000Z'
    expect(
      read(batch({ pendingJobs: 6, processedJobs: 4, progress: 40, failedJobs: 0, cancelledAt: t, finishedAt: t }))
        .status,
    ).toBe('cancelled')
  })
})

describe('laravel-job-status', () => {
  const row = (fields: Record<string, unknown>) => ({
    id: 17,
    job_id: '5',
    type: 'App\\Jobs\\ImportCsv',
    queue: 'default',
    attempts: 1,
    progress_max: 200,
    input: { file: 'contacts.csv' },
    output: null,
    created_at: '2024-05-01T10:00:00.000000Z',
    started_at: '2024-05-01T10:00:01.000000Z',
    finished_at: null,
    ...fields,
  })
  const startedAt = new Date('2024-05-01T10:00:01Z')
  it('in progress: percent from progress_now / progress_max', () => {
    expect(read(row({ status: 'executing', progress_now: 84 }))).toEqual(
      snap('running', 42, 'laravel-job-status', {
        processed: 84,
        total: 200,
        startedAt,
        elapsedMs: 29_000,
        etaMs: 40_048,
      }),
    )
  })
  it('succeeded, with its output', () => {
    expect(
      read(
        row({
          status: 'finished',
          progress_now: 200,
          output: { total: 200 },
          finished_at: '2024-05-01T10:01:40.000000Z',
        }),
      ),
    ).toEqual(
      snap('succeeded', 100, 'laravel-job-status', {
        processed: 200,
        total: 200,
        result: { total: 200 },
        startedAt,
        completedAt: new Date('2024-05-01T10:01:40Z'),
        elapsedMs: 99_000,
      }),
    )
  })
  it('failed, with the message of the legacy event manager, or none', () => {
    const failed = row({ status: 'failed', progress_now: 84, finished_at: '2024-05-01T10:00:50.000000Z' })
    expect(read({ ...failed, output: { message: 'SQLSTATE[23000]: Integrity constraint violation' } })).toEqual(
      snap('failed', 42, 'laravel-job-status', {
        processed: 84,
        total: 200,
        error: { message: 'SQLSTATE[23000]: Integrity constraint violation' },
        startedAt,
        completedAt: new Date('2024-05-01T10:00:50Z'),
        elapsedMs: 49_000,
      }),
    )
    expect(read(failed).error).toBeUndefined()
    expect(read(row({ status: 'retrying', progress_now: 0 }), { previous: at(42) })).toMatchObject({
      status: 'running',
      percent: 42,
      attempt: { number: 2 },
    })
  })
})

describe('google-lro', () => {
  const type = 'type.googleapis.com/google.cloud.speech.v1.LongRunningRecognizeMetadata'
  const name = 'operations/7612202767953098924'
  const startedAt = new Date('2024-05-01T10:00:00.123Z')
  it('in progress: a missing done means false', () => {
    expect(
      read({ name, metadata: { '@type': type, progressPercent: 34, startTime: '2024-05-01T10:00:00.123Z' } }),
    ).toEqual(snap('running', 34, 'google-lro', { startedAt, elapsedMs: 29_877, etaMs: 57_997 }))
  })
  it('succeeded: the response, without its @type', () => {
    expect(
      read({
        name,
        metadata: { '@type': type, progressPercent: 100, startTime: '2024-05-01T10:00:00.123Z' },
        done: true,
        response: { '@type': 'type.googleapis.com/x.Response', results: [] },
      }),
    ).toEqual(snap('succeeded', 100, 'google-lro', { result: { results: [] }, startedAt, elapsedMs: 29_877 }))
  })
  it('failed, with the code', () => {
    expect(
      read({
        name,
        metadata: { '@type': type, progressPercent: 12 },
        done: true,
        error: { code: 3, message: 'Invalid audio encoding.', details: [] },
      }),
    ).toEqual(snap('failed', 12, 'google-lro', { error: { message: 'Invalid audio encoding.', code: 3 } }))
  })
  it('error.code 1 is a cancellation', () => {
    expect(read({ name, done: true, error: { code: 1, message: 'Operation cancelled.' } }).status).toBe('cancelled')
  })
})

describe('azure (status monitors, ARM)', () => {
  it('in progress', () => {
    expect(read({ id: '22', status: 'Running' })).toEqual(snap('running', null, 'azure'))
  })
  it('succeeded', () => {
    expect(read({ id: '22', status: 'Succeeded', result: { pages: 12 } })).toEqual(
      snap('succeeded', 100, 'azure', { result: { pages: 12 } }),
    )
  })
  it('failed, with the error detail', () => {
    expect(
      read({
        id: '22',
        status: 'Failed',
        error: { code: 'BadArgument', message: "The database 'foo' has an invalid username." },
      }),
    ).toEqual(
      snap('failed', null, 'azure', {
        error: { message: "The database 'foo' has an invalid username.", code: 'BadArgument' },
      }),
    )
  })
  it('Canceled and Cancelled, any case; NotStarted is pending; percentComplete may be a string', () => {
    expect(read({ id: '22', status: 'Canceled' }).status).toBe('cancelled')
    expect(read({ id: '22', status: 'CANCELLED' }, { format: 'azure' }).status).toBe('cancelled')
    expect(read({ id: '22', status: 'NotStarted' }).status).toBe('pending')
    expect(read({ status: 'running', percentComplete: '50' })).toEqual(snap('running', 50, 'azure'))
  })
  it('ARM AsyncOperation with an RP-defined running state', () => {
    expect(
      read({
        id: '/subscriptions/s/operationsStatuses/7f0d',
        name: '7f0d',
        status: 'InProgress',
        startTime: '2024-05-01T10:00:00Z',
        percentComplete: 42.5,
      }),
    ).toEqual(
      snap('running', 42.5, 'azure', { startedAt: new Date('2024-05-01T10:00:00Z'), elapsedMs: 30_000, etaMs: 40_588 }),
    )
  })
})

describe('ogc (OGC API – Processes)', () => {
  const job = (fields: Record<string, unknown>) => ({
    processID: 'EchoProcess',
    jobID: '0cf773a5',
    links: [],
    ...fields,
  })
  it('in progress', () => {
    expect(read(job({ status: 'running', message: 'Perform step 1/2', progress: 50 }))).toEqual(
      snap('running', 50, 'ogc', { message: 'Perform step 1/2' }),
    )
  })
  it('succeeded', () => {
    expect(read(job({ status: 'successful', message: 'EchoProcess job finished successful', progress: 100 }))).toEqual(
      snap('succeeded', 100, 'ogc', { message: 'EchoProcess job finished successful' }),
    )
  })
  it('failed, with progress 100 on failure', () => {
    expect(
      read(job({ status: 'failed', message: 'EchoProcess job failed', progress: 100 }), { previous: at(50) }),
    ).toEqual(
      snap('failed', 50, 'ogc', { message: 'EchoProcess job failed', error: { message: 'EchoProcess job failed' } }),
    )
  })
  it('accepted is pending, dismissed is cancelled', () => {
    expect(read(job({ status: 'accepted' })).status).toBe('pending')
    expect(read(job({ status: 'dismissed' })).status).toBe('cancelled')
  })
})

describe('github-actions', () => {
  const run = (fields: Record<string, unknown>) => ({
    id: 30433642,
    name: 'Build',
    run_number: 562,
    run_attempt: 1,
    event: 'push',
    created_at: '2020-01-22T19:33:08Z',
    run_started_at: '2020-01-22T19:33:08Z',
    html_url: 'https://github.com/octo-org/octo-repo/actions/runs/30433642',
    ...fields,
  })
  const startedAt = new Date('2020-01-22T19:33:08Z')
  it('in progress', () => {
    expect(read(run({ status: 'in_progress', conclusion: null, updated_at: '2020-01-22T19:33:08Z' }))).toEqual(
      snap('running', null, 'github-actions', {
        message: 'Build #562',
        startedAt,
        elapsedMs: NOW - startedAt.getTime(),
      }),
    )
  })
  it('succeeded', () => {
    expect(read(run({ status: 'completed', conclusion: 'success', updated_at: '2020-01-22T19:40:11Z' }))).toEqual(
      snap('succeeded', 100, 'github-actions', {
        message: 'Build #562',
        result: 'https://github.com/octo-org/octo-repo/actions/runs/30433642',
        startedAt,
        completedAt: new Date('2020-01-22T19:40:11Z'),
        elapsedMs: 423_000,
      }),
    )
  })
  it('failed', () => {
    expect(read(run({ status: 'completed', conclusion: 'failure', updated_at: '2020-01-22T19:36:02Z' }))).toEqual(
      snap('failed', null, 'github-actions', {
        message: 'Build #562',
        error: { message: 'The run ended with "failure"' },
        startedAt,
        completedAt: new Date('2020-01-22T19:36:02Z'),
        elapsedMs: 174_000,
      }),
    )
  })
  it('waiting is an approval (waiting), unlike a queue’s waiting; cancelled, timed_out, action_required', () => {
    expect(read(run({ status: 'waiting', conclusion: null })).status).toBe('waiting')
    expect(read(run({ status: 'queued', conclusion: null })).status).toBe('pending')
    expect(read(run({ status: 'completed', conclusion: 'cancelled' })).status).toBe('cancelled')
    expect(read(run({ status: 'completed', conclusion: 'timed_out' })).status).toBe('failed')
    expect(read(run({ status: 'completed', conclusion: 'action_required' })).status).toBe('waiting')
  })
})
