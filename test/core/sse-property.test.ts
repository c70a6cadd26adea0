// Property test for the streams: whatever a server streams (events split anywhere, comments,
// retry fields, cuts, clean ends, refusals), whatever the page does (offline, hidden) and
// whenever the job is stopped, the stream transports keep the job's promises.
import fc from 'fast-check'
import { afterEach, describe, expect, it, vi } from 'vitest'
import '../../src/core/transport/sse'
import { pollJob } from '../../src/index'
import { pageStore } from '../../src/store/job-store'
import { fakePresence } from '../helpers/env'

type Piece = { event: unknown } | { comment: true } | { retry: number } | { garbage: string }
type Connection =
  | { kind: 'stream'; pieces: Piece[]; split: number; gap: number; end: 'clean' | 'cut' | 'hang' }
  | { kind: 'status'; status: number }
  | { kind: 'network' }

const word = fc.constantFrom('pending', 'in_progress', 'completed', 'failed', 'retrying', 'indexing')
const body = fc.oneof(
  fc.record({ status: word, progress: fc.oneof(fc.integer({ min: -20, max: 200 }), fc.constant('45%')) }),
  fc.constantFrom({ nope: 1 }, [], 'text'),
)
const piece: fc.Arbitrary<Piece> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ event: body }) },
  { weight: 1, arbitrary: fc.constant({ comment: true as const }) },
  { weight: 1, arbitrary: fc.record({ retry: fc.integer({ min: 0, max: 100_000 }) }) },
  {
    weight: 1,
    arbitrary: fc.record({ garbage: fc.constantFrom('data: {"status":', 'event: ping\n', '\r', 'id: 9\n') }),
  },
)
const connection: fc.Arbitrary<Connection> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('stream' as const),
      pieces: fc.array(piece, { maxLength: 6 }),
      split: fc.integer({ min: 1, max: 40 }),
      gap: fc.integer({ min: 0, max: 8000 }),
      end: fc.constantFrom('clean' as const, 'cut' as const, 'hang' as const),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('status' as const), status: fc.constantFrom(204, 404, 503) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('network' as const) }) },
)

const text = (p: Piece) =>
  'event' in p
    ? `data: ${JSON.stringify(p.event)}\n\n`
    : 'comment' in p
      ? ': alive\n\n'
      : 'retry' in p
        ? `retry: ${p.retry}\n\n`
        : p.garbage

afterEach(() => vi.useRealTimers())

describe('streams, for any sequence of connections', () => {
  it('never throw to the page, keep one stream open at most, keep percent in 0..100, end at most once, and leave nothing after stop()', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(connection, { minLength: 1, maxLength: 8 }),
        fc.constantFrom('sse' as const, 'auto' as const),
        fc.integer({ min: 1000, max: 600_000 }),
        fc.array(fc.record({ at: fc.integer({ min: 0, max: 600_000 }), online: fc.boolean() }), { maxLength: 4 }),
        async (connections, transport, stopAt, flips) => {
          vi.useFakeTimers({ now: Date.UTC(2030, 0, 1) })
          const escaped: unknown[] = []
          const onUnhandled = (reason: unknown) => escaped.push(reason)
          process.on('unhandledRejection', onUnhandled)
          const page = fakePresence()
          let open = 0
          let maxOpen = 0
          let opened = 0
          let stopped = false
          let afterStop = 0
          const fetch = async (_: unknown, init?: RequestInit): Promise<Response> => {
            if (stopped) afterStop++
            const streamed = new Headers(init?.headers).get('accept') === 'text/event-stream'
            // Polls (auto's fallback) get a running status.
            if (!streamed) return Response.json({ status: 'in_progress', progress: 10 })
            const plan = connections[Math.min(opened++, connections.length - 1)] as Connection
            if (plan.kind === 'network') throw new TypeError('Failed to fetch')
            if (plan.kind === 'status') return new Response(null, { status: plan.status })
            const all = plan.pieces.map(text).join('')
            const chunks = all.match(new RegExp(`[^]{1,${plan.split}}`, 'g')) ?? []
            let closed = false
            const close = () => {
              if (!closed) open--
              closed = true
            }
            maxOpen = Math.max(maxOpen, ++open)
            const stream = new ReadableStream<Uint8Array>({
              start(controller) {
                let at = 0
                for (const [i, chunk] of chunks.entries()) {
                  at += plan.gap / (i + 1)
                  setTimeout(() => {
                    if (!closed) controller.enqueue(new TextEncoder().encode(chunk))
                  }, at)
                }
                setTimeout(() => {
                  if (closed || plan.end === 'hang') return
                  close()
                  if (plan.end === 'clean') controller.close()
                  else controller.error(new TypeError('network error'))
                }, at + 1)
                init?.signal?.addEventListener('abort', () => {
                  close()
                  try {
                    controller.error(new DOMException('aborted', 'AbortError'))
                  } catch {
                    // Already closed.
                  }
                })
              },
              cancel: close,
            })
            return new Response(stream, { headers: { 'content-type': 'text/event-stream' } })
          }
          const percents: (number | null)[] = []
          let terminal = 0
          let afterStopCallbacks = 0
          const job = pollJob('http://127.0.0.1:9/jobs/p/', {
            transport,
            fetch,
            sseTimeout: 3000,
            onProgress: (s) => {
              if (stopped) afterStopCallbacks++
              percents.push(s.percent)
            },
            onComplete: () => terminal++,
            onError: () => terminal++,
          })
          for (const flip of flips) {
            setTimeout(() => page.set({ online: flip.online }), flip.at)
          }
          await vi.advanceTimersByTimeAsync(stopAt)
          stopped = true
          job.stop()
          const ended = await job.done.then(
            () => 'done',
            (error: Error) => error.name,
          )
          await vi.advanceTimersByTimeAsync(700_000)
          process.off('unhandledRejection', onUnhandled)
          pageStore.stopAll()

          expect(escaped).toEqual([])
          expect(maxOpen).toBeLessThanOrEqual(1)
          expect(open).toBe(0)
          expect(percents.every((p) => p === null || (p >= 0 && p <= 100))).toBe(true)
          expect(terminal).toBeLessThanOrEqual(1)
          expect(afterStop).toBe(0)
          expect(afterStopCallbacks).toBe(0)
          expect(page.listeners()).toBe(0)
          expect(typeof ended).toBe('string')
          // The only timers left are the test's own page flips and stream chunks, all past.
          expect(vi.getTimerCount()).toBe(0)
          vi.useRealTimers()
        },
      ),
      { numRuns: 60 },
    )
  }, 60_000)
})
