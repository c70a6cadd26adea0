// @vitest-environment happy-dom
// Property test: whatever sequence of answers a server gives, whatever the page does (hidden,
// offline) and whatever callbacks call (stop, restart, destroy), polling keeps its promises.
import fc from 'fast-check'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { setPresence } from '../../src/env/presence'
import { ProgressPolling, pollJob } from '../../src/index'
import { pageStore } from '../../src/store/job-store'

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

type Call = 'none' | 'stop' | 'restart' | 'destroy'
const call: fc.Arbitrary<Call> = fc.oneof(
  { weight: 12, arbitrary: fc.constant('none' as const) },
  { weight: 1, arbitrary: fc.constantFrom('stop' as const, 'restart' as const, 'destroy' as const) },
)
/** Moments (ms from the start) at which the page becomes hidden, visible, offline or online. */
const flips = fc.array(
  fc.record({
    at: fc.integer({ min: 0, max: 120_000 }),
    set: fc.constantFrom('hidden', 'visible', 'offline', 'online'),
  }),
  { maxLength: 8 },
)

describe('polling, for any sequence of answers', () => {
  it('never throws to the page, never overlaps requests, keeps percent in 0..100, ends at most once a run, settles done, and leaves nothing running after stop()', async () => {
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
        fc.array(call, { maxLength: 12 }),
        flips,
        async (answers, stopAt, options, calls, pageFlips) => {
          vi.useFakeTimers({ now: Date.UTC(2030, 0, 1) })
          const escaped: unknown[] = []
          const onUnhandled = (reason: unknown) => escaped.push(reason)
          process.on('unhandledRejection', onUnhandled)
          const page = { visible: true, online: true }
          const watchers = new Set<() => void>()
          setPresence({
            visible: () => page.visible,
            online: () => page.online,
            subscribe(listener) {
              watchers.add(listener)
              return () => watchers.delete(listener)
            },
          })
          let inFlight = 0
          let maxInFlight = 0
          let calls_ = 0
          let stopped = false
          let afterStop = 0
          const fetch = async (_: unknown, init?: RequestInit): Promise<Response> => {
            if (stopped) afterStop++
            const a = answers[Math.min(calls_++, answers.length - 1)] as Answer
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
          // Terminal callbacks of each run of each consumer: a restart starts a new run.
          const runs = { job: [0], widget: [0] }
          let eventsAfterStop = 0
          let callbacks = 0
          // Each drawn call is made once, from the callbacks in the order they fire.
          let ready = false
          const act = (who: 'job' | 'widget') => {
            if (stopped) eventsAfterStop++
            if (!ready) return
            const what = calls[callbacks++] ?? 'none'
            const target = who === 'job' ? job : widget
            if (what === 'restart' && !(who === 'widget' && widgetGone)) {
              runs[who].push(0)
              target.restart()
            } else if (what === 'stop') target.stop()
            else if (what === 'destroy' && who === 'widget') {
              widgetGone = true
              widget.destroy()
            }
          }
          const terminal = (who: 'job' | 'widget') => () => {
            const list = runs[who]
            list[list.length - 1] = (list[list.length - 1] ?? 0) + 1
            act(who)
          }
          const consumer = (who: 'job' | 'widget') => ({
            ...options,
            fetch,
            onStart: () => act(who),
            onProgress: () => act(who),
            onComplete: terminal(who),
            onError: terminal(who),
          })
          let widgetGone = false
          const job = pollJob('http://localhost/jobs/p/', consumer('job'))
          const box = document.body.appendChild(document.createElement('div'))
          const widget = new ProgressPolling(box, 'http://localhost/jobs/p/', consumer('widget'))
          ready = true
          job.subscribe((s) => {
            percents.push(s.percent)
            if (stopped) eventsAfterStop++
          })
          const flipTimers = pageFlips.map(({ at, set }) =>
            setTimeout(() => {
              if (set === 'hidden' || set === 'visible') page.visible = set === 'visible'
              else page.online = set === 'online'
              for (const watcher of [...watchers]) watcher()
            }, at),
          )
          if (stopAt !== null) {
            await vi.advanceTimersByTimeAsync(stopAt)
            stopped = true
            job.stop()
            widget.destroy()
          }
          let settled = 0
          const settle = () => settled++
          job.done.then(settle, settle)
          widget.done.then(settle, settle)
          for (let minute = 0; minute < 60 && settled < 2; minute++) await vi.advanceTimersByTimeAsync(60_000)
          // The page comes back and stays, so that a paused job can end; then everything stops.
          page.visible = true
          page.online = true
          for (const watcher of [...watchers]) watcher()
          stopped = true
          job.stop()
          widget.destroy()
          await vi.advanceTimersByTimeAsync(0)
          const jobs = pageStore.list().length
          for (const timer of flipTimers) clearTimeout(timer)
          const timersLeft = vi.getTimerCount()
          process.off('unhandledRejection', onUnhandled)
          vi.useRealTimers()
          setPresence()
          box.remove()

          expect(escaped).toEqual([])
          expect(maxInFlight).toBeLessThanOrEqual(1)
          for (const p of percents) if (p !== null) expect(p >= 0 && p <= 100).toBe(true)
          for (const count of [...runs.job, ...runs.widget]) expect(count).toBeLessThanOrEqual(1)
          expect(afterStop).toBe(0)
          expect(eventsAfterStop).toBe(0)
          expect(jobs).toBe(0)
          expect(timersLeft).toBe(0)
          expect(watchers.size).toBe(0)
          await Promise.resolve()
          expect(settled).toBe(2)
        },
      ),
      { numRuns: 200 },
    )
  }, 60_000)
})
