// A real backend inside the tests: BullMQ with a real Worker on a real Redis, behind the
// status endpoints people write for it, each job followed to its end by `pollJob`.
import { createServer, type Server } from 'node:http'
import { type Job, Queue, Worker } from 'bullmq'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import '../../src/formats/extra/index'
import { type JobSnapshot, type PollJobOptions, pollJob } from '../../src/index'
import { findRedis, type Redis, startRedis } from './redis'

const command = findRedis()
if (!command) {
  if (process.env.CI === 'true') throw new Error('No redis-server found for the BullMQ tests (install redis-server)')
  console.warn('\n[BullMQ tests] skipped: no redis-server found. Install redis-server or set REDIS_SERVER.\n')
}

interface Work {
  steps: number
  /** The step that throws. */
  failAt?: number
  /** Throw only on the first attempt (the job is retried). */
  onceOnly?: boolean
}

const STEP_MS = 60
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** The worker: `steps` steps, reporting progress after each, throwing where the job says. */
async function perform(job: Job<Work>) {
  const { steps, failAt, onceOnly } = job.data
  for (let step = 1; step <= steps; step++) {
    await sleep(STEP_MS)
    if (step === failAt && (!onceOnly || job.attemptsMade === 0)) {
      throw new Error(onceOnly ? 'Model overloaded' : 'Disk full on /data')
    }
    await job.updateProgress((step / steps) * 100)
  }
  return { rows: 1000, file: 'report.csv' }
}

/** The three status endpoints of real BullMQ apps. */
const ENDPOINTS = {
  // Express: read the job, then await its state (two reads: the state may be newer).
  toJSON: async (job: Job, state: string) => ({ ...job.toJSON(), state }),
  // A trimmed shape of one's own.
  trimmed: async (job: Job, state: string) => ({
    id: job.id,
    status: state,
    progress: job.progress,
    result: job.returnvalue ?? null,
    error: job.failedReason,
  }),
  // The trimmed shape, written so that the job is read after its state: never older than it.
  stateFirst: async (job: Job, state: string, reread: () => Promise<Job | undefined>) => {
    const fresh = (await reread()) ?? job
    return {
      id: fresh.id,
      status: state,
      progress: fresh.progress,
      result: fresh.returnvalue ?? null,
      error: fresh.failedReason,
    }
  },
  // Bull Board's job JSON.
  board: async (job: Job, state: string) => ({
    job: {
      id: job.id,
      timestamp: job.timestamp,
      processedOn: job.processedOn,
      finishedOn: job.finishedOn,
      progress: job.progress,
      attempts: job.attemptsMade,
      delay: job.delay,
      failedReason: job.failedReason,
      stacktrace: job.stacktrace,
      opts: job.opts,
      data: job.data,
      name: job.name,
      returnValue: job.returnvalue,
      isFailed: state === 'failed',
    },
    status: state,
  }),
}
type Endpoint = keyof typeof ENDPOINTS

describe.skipIf(!command)('BullMQ with a real Worker on a real Redis', { timeout: 30_000 }, () => {
  let redis: Redis
  let queue: Queue
  let worker: Worker
  let server: Server
  let origin: string

  beforeAll(async () => {
    redis = await startRedis(command as string)
    const connection = { host: '127.0.0.1', port: redis.port, maxRetriesPerRequest: null }
    queue = new Queue('reports', { connection })
    worker = new Worker('reports', perform, { connection, concurrency: 4 })
    server = createServer(async (request, response) => {
      const [, kind, id] = (request.url ?? '').split('/') as [string, Endpoint, string]
      const job = Object.hasOwn(ENDPOINTS, kind) ? await queue.getJob(id) : undefined
      if (!job) {
        response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}')
        return
      }
      const body = await ENDPOINTS[kind](job, await job.getState(), () => queue.getJob(id))
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`
  })

  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve))
    await worker?.close()
    await queue?.close()
    await redis?.stop()
  })

  /** Follows one job through one endpoint; every snapshot seen, and how it ended. */
  async function follow(id: string, endpoint: Endpoint, options: PollJobOptions = {}) {
    const seen: JobSnapshot[] = []
    const job = pollJob(`${origin}/${endpoint}/${id}`, {
      pollInterval: 40,
      onProgress: (s) => seen.push(s),
      ...options,
    })
    const end = await job.done.then(
      (snapshot) => ({ snapshot, error: undefined }),
      (error) => ({ snapshot: error.snapshot as JobSnapshot, error: error as Error }),
    )
    return { seen, ...end }
  }

  /** Adds a job and follows it through every endpoint at once. */
  async function run(work: Work, opts = {}) {
    const job = await queue.add('report', work, opts)
    const id = job.id as string
    const [toJSON, trimmed, board, boardBuiltIn] = await Promise.all([
      follow(id, 'toJSON'),
      follow(id, 'trimmed'),
      follow(id, 'board'),
      follow(id, 'board', { format: 'generic' }),
    ])
    return { toJSON, trimmed, board, boardBuiltIn }
  }

  it('a job that succeeds: every endpoint ends succeeded at 100 % with its return value', async () => {
    const runs = await run({ steps: 10 })
    for (const [name, { snapshot, error, seen }] of Object.entries(runs)) {
      expect(error, name).toBeUndefined()
      expect(snapshot, name).toMatchObject({ status: 'succeeded', percent: 100 })
      expect(
        seen.some((s) => s.status === 'running' && (s.percent ?? 0) > 0 && (s.percent ?? 0) < 100),
        name,
      ).toBe(true)
      // These endpoints read the job, then await its state: when the job ends in between, the
      // answer says completed while its return value is still null (the README says to read
      // the state first). A failure is asked again for its reason; a success is taken as it is.
      expect([null, undefined, { rows: 1000, file: 'report.csv' }], name).toContainEqual(snapshot.result)
    }
    expect(runs.toJSON.snapshot.format).toBe('bullmq')
    expect(runs.trimmed.snapshot.format).toBe('generic')
    expect(runs.board.snapshot.format).toBe('bullmq')
  })

  it('an endpoint that reads the state first always ends with the return value', async () => {
    const job = await queue.add('report', { steps: 6 })
    const { snapshot } = await follow(job.id as string, 'stateFirst')
    expect(snapshot).toMatchObject({ status: 'succeeded', percent: 100, result: { rows: 1000, file: 'report.csv' } })
  })

  it('a job that throws: every endpoint ends failed at its last percent, with the reason', async () => {
    const runs = await run({ steps: 10, failAt: 6 })
    for (const [name, { snapshot, error }] of Object.entries(runs)) {
      expect(error, name).toMatchObject({ name: 'JobFailedError', message: 'Disk full on /data' })
      expect(snapshot, name).toMatchObject({ status: 'failed', percent: 50, error: { message: 'Disk full on /data' } })
    }
    // A stack trace is kept where the endpoint sends one.
    expect(runs.toJSON.snapshot.error?.detail).toMatch(/^Error: Disk full on \/data\n\s+at /)
    expect(runs.board.snapshot.error?.detail).toMatch(/^Error: Disk full on \/data\n\s+at /)
  })

  it('a job retried after a failure: seen as a running retry with its reason, then succeeded', async () => {
    const runs = await run(
      { steps: 6, failAt: 3, onceOnly: true },
      { attempts: 2, backoff: { type: 'fixed', delay: 600 } },
    )
    for (const [name, { snapshot, error, seen }] of Object.entries(runs)) {
      expect(error, name).toBeUndefined()
      expect(snapshot, name).toMatchObject({ status: 'succeeded', percent: 100 })
      const retrying = seen.filter((s) => s.attempt)
      expect(retrying.length, name).toBeGreaterThan(0)
      for (const s of retrying) {
        expect(s, name).toMatchObject({
          status: 'running',
          terminal: false,
          attempt: { number: 2, reason: 'Model overloaded' },
        })
      }
      expect(
        seen.some((s) => s.status === 'failed'),
        name,
      ).toBe(false)
    }
    // Where the endpoint says how many attempts the job has, so does the snapshot.
    expect(runs.toJSON.seen.find((s) => s.attempt)?.attempt?.of).toBe(2)
  })
})
