// Property test: whatever sequence of answers a server gives, polling keeps its promises.
import fc from 'fast-check'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { pollJob } from '../../src/index'

type Answer =
  | { kind: 'json'; body: unknown; delay: number; headers: Record<string, string> }
  | { kind: 'status'; status: number; delay: number; headers: Record<string, string> }
  | { kind: 'text'; text: string; delay: number }
  | { kind: 'network'; delay: number }

const word = fc.constantFrom(
  'pending',
  'in_progress',
  'RUNNING',
  'waiting_user',
  'completed',
  'SUCCESS',
  'failed',
  'revoked',
  'indexing',
  '',
)
const number = fc.oneof(fc.double(), fc.integer({ min: -50, max: 500 }), fc.constantFrom('42', '1e3', 'x', null))
const body = fc.oneof(
  fc.record({ status: word, progress: number, processed: number, total: number }, { requiredKeys: ['status'] }),
  fc.record({ status: word, progress_percentage: number, current_message: fc.string(), error: fc.string() }),
  fc.constantFrom(null, [], {}, 'text', 42, { status: 7 }, { progress: 5 }),
)
const delay = fc.integer({ min: 0, max: 15_000 })
const headers = fc.oneof(
  fc.constant({}),
  fc.record({
    'Retry-After': fc.oneof(
      fc.integer({ min: 0, max: 400 }).map(String),
      fc.constantFrom('soon', 'Wed, 01 Jan 2031 00:00:00 GMT'),
    ),
  }),
  fc.constant({ ETag: '"x"' }),
)
const answer: fc.Arbitrary<Answer> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('json' as const), body, delay, headers }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('status' as const),
      status: fc.constantFrom(204, 304, 400, 401, 404, 408, 410, 429, 500, 502, 503),
      delay,
      headers,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('text' as const),
      text: fc.constantFrom('<html>', '{"status":', ''),
      delay,
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('network' as const), delay }) },
)

afterEach(() => vi.useRealTimers())

describe('polling, for any sequence of answers', () => {
  it('never throws to the page, never overlaps requests, keeps percent in 0..100, ends at most once, and does nothing after stop()', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(answer, { minLength: 1, maxLength: 25 }),
        fc.option(fc.integer({ min: 0, max: 300_000 })),
        fc.record({
          pollInterval: fc.integer({ min: 50, max: 5000 }),
          requestTimeout: fc.integer({ min: 100, max: 10_000 }),
          retry: fc.integer({ min: 0, max: 6 }),
          maxAttempts: fc.integer({ min: 1, max: 150 }),
        }),
        async (answers, stopAt, options) => {
          vi.useFakeTimers({ now: Date.UTC(2030, 0, 1) })
          const escaped: unknown[] = []
          const onUnhandled = (reason: unknown) => escaped.push(reason)
          process.on('unhandledRejection', onUnhandled)
          let inFlight = 0
          let maxInFlight = 0
          let calls = 0
          let stopped = false
          let afterStop = 0
          const fetch = async (_: unknown, init?: RequestInit): Promise<Response> => {
            if (stopped) afterStop++
            const a = answers[Math.min(calls++, answers.length - 1)] as Answer
            maxInFlight = Math.max(maxInFlight, ++inFlight)
            try {
              await new Promise<void>((resolve, reject) => {
                const timer = setTimeout(resolve, a.delay)
                init?.signal?.addEventListener('abort', () => {
                  clearTimeout(timer)
                  reject(new DOMException('aborted', 'AbortError'))
                })
              })
              if (a.kind === 'network') throw new TypeError('Failed to fetch')
              if (a.kind === 'text') return new Response(a.text, { headers: { 'content-type': 'text/html' } })
              if (a.kind === 'status') return new Response(null, { status: a.status, headers: a.headers })
              return Response.json(a.body, { headers: a.headers })
            } finally {
              inFlight--
            }
          }
          const percents: (number | null)[] = []
          const terminal = { complete: 0, error: 0 }
          let eventsAfterStop = 0
          const job = pollJob('/jobs/p/', {
            ...options,
            fetch,
            onComplete: () => {
              terminal.complete++
              if (stopped) eventsAfterStop++
            },
            onError: () => {
              terminal.error++
              if (stopped) eventsAfterStop++
            },
            onProgress: () => {
              if (stopped) eventsAfterStop++
            },
          })
          job.subscribe((s) => {
            percents.push(s.percent)
            if (stopped) eventsAfterStop++
          })
          if (stopAt !== null) {
            await vi.advanceTimersByTimeAsync(stopAt)
            stopped = true
            job.stop()
          }
          let settled = false
          job.done.then(
            () => (settled = true),
            () => (settled = true),
          )
          for (let minute = 0; minute < 60 && !settled; minute++) await vi.advanceTimersByTimeAsync(60_000)
          job.stop()
          await Promise.resolve()
          process.off('unhandledRejection', onUnhandled)
          vi.useRealTimers()

          expect(escaped).toEqual([])
          expect(maxInFlight).toBeLessThanOrEqual(1)
          for (const p of percents) if (p !== null) expect(p >= 0 && p <= 100).toBe(true)
          expect(terminal.complete + terminal.error).toBeLessThanOrEqual(1)
          expect(afterStop).toBe(0)
          expect(eventsAfterStop).toBe(0)
          await Promise.resolve()
          expect(settled).toBe(true)
        },
      ),
      { numRuns: 200 },
    )
  }, 60_000)
})
