// @vitest-environment happy-dom
// Property test: whatever a server answers to a job's polls and to its actions (answers,
// cancel, retry), however late, and whenever the page answers, cancels, retries, clicks twice
// or leaves, the actions keep their promises: every call settles with a ProgressPollingError or
// a TypeError, the same action is never in flight twice, polls never overlap, each run ends at
// most once, and nothing is left running once everything has settled and stopped.
import fc from 'fast-check'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ProgressPolling, ProgressPollingError, pollJob } from '../../src/index'
import { pageStore } from '../../src/store/job-store'

// The chunks the actions load on first use, loaded before the clock is faked: a first import
// takes real time, which a fake clock does not give.
await import('../../src/core/actions')
await import('../../src/view/actions')

const URL = 'http://localhost/jobs/p/'
const delay = fc.integer({ min: 0, max: 12_000 })
const status = fc.record({
  body: fc.oneof(
    fc.constant({ status: 'waiting_user', job_id: 'p', prompt: 'Go on?', choices: ['yes', 'no'] }),
    fc.constant({ status: 'waiting', job_id: 'p', choices: [{ id: 'a', label: 'A', kind: 'danger' }] }),
    fc.constant({ status: 'running', job_id: 'p', progress: 40 }),
    fc.constant({ status: 'failed', job_id: 'p', error: 'Disk full' }),
    fc.constant({ status: 'cancelled', job_id: 'p' }),
    fc.constant({ status: 'completed', job_id: 'p' }),
  ),
  delay,
})
const reply = fc.record({
  kind: fc.constantFrom('json', 'empty', 'status', 'network', 'trickle', 'moved'),
  code: fc.constantFrom(200, 201, 202, 204, 400, 403, 409, 410, 500),
  delay,
})
type Reply = { kind: string; code: number; delay: number }
const call = fc.record({
  at: fc.integer({ min: 0, max: 60_000 }),
  what: fc.constantFrom('respond yes', 'respond a', 'cancel', 'retry', 'stop', 'restart', 'click', 'double click'),
})

afterEach(() => vi.useRealTimers())

describe('actions, for any answers and any calls', () => {
  it('settle every call with a ProgressPollingError or a TypeError, never send one action twice at once, never overlap polls, end each run at most once, and leave nothing running', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(status, { minLength: 1, maxLength: 12 }),
        fc.array(reply, { minLength: 1, maxLength: 12 }),
        fc.array(call, { maxLength: 10 }),
        fc.record({
          pollInterval: fc.integer({ min: 300, max: 3000 }),
          requestTimeout: fc.integer({ min: 100, max: 8000 }),
        }),
        async (statuses, replies, calls, options) => {
          vi.useFakeTimers({ now: Date.UTC(2030, 0, 1) })
          const escaped: unknown[] = []
          const onUnhandled = (reason: unknown) => escaped.push(reason)
          process.on('unhandledRejection', onUnhandled)
          let polls = 0
          const pollsInFlight = new Map<string, number>()
          let maxPolls = 0
          let posts = 0
          const postsInFlight = new Map<string, number>()
          let twice = 0
          const wait = (ms: number, signal?: AbortSignal | null) =>
            new Promise<void>((resolve, reject) => {
              const timer = setTimeout(resolve, ms)
              signal?.addEventListener('abort', () => {
                clearTimeout(timer)
                reject(new DOMException('aborted', 'AbortError'))
              })
            })
          const fetch = async (url: unknown, init?: RequestInit): Promise<Response> => {
            if (init?.method !== 'POST') {
              const { body, delay } = statuses[Math.min(polls++, statuses.length - 1)] as (typeof statuses)[number]
              // Per status URL: a retried job that moved is another job.
              const at = String(url)
              const now = (pollsInFlight.get(at) ?? 0) + 1
              pollsInFlight.set(at, now)
              maxPolls = Math.max(maxPolls, now)
              // A request the client aborted is no longer in flight, even before its promise settles.
              let counted = true
              const release = () => {
                if (counted) pollsInFlight.set(at, (pollsInFlight.get(at) ?? 1) - 1)
                counted = false
              }
              init?.signal?.addEventListener('abort', release)
              try {
                await wait(delay, init?.signal)
                return Response.json(body)
              } finally {
                release()
              }
            }
            const key = `${url} ${init.body}`
            if (postsInFlight.get(key)) twice++
            postsInFlight.set(key, (postsInFlight.get(key) ?? 0) + 1)
            const { kind, code, delay } = replies[Math.min(posts++, replies.length - 1)] as Reply
            try {
              await wait(delay, init.signal)
              if (kind === 'network') throw new TypeError('Failed to fetch')
              if (kind === 'moved') return new Response(null, { status: 201, headers: { Location: '/jobs/p2/' } })
              if (kind === 'trickle') {
                const stream = new ReadableStream({ start: (c) => c.enqueue(new TextEncoder().encode('{')) })
                return new Response(stream, { status: code })
              }
              if (kind === 'empty') return new Response(null, { status: code === 204 ? 204 : code })
              return Response.json({ ok: code < 300, job_id: 'p' }, { status: code === 204 ? 200 : code })
            } finally {
              postsInFlight.set(key, (postsInFlight.get(key) ?? 1) - 1)
            }
          }
          // Each consumer's actions go to its own URLs: one consumer sends an action once at a
          // time (two consumers of one job are two people).
          const actionOptions = (who: string) => ({
            ...options,
            fetch,
            respondUrl: `http://localhost/jobs/{id}/respond/?${who}`,
            cancelUrl: `http://localhost/jobs/{id}/cancel/?${who}`,
            retryUrl: `http://localhost/jobs/{id}/retry/?${who}`,
            confirmCancel: false,
          })
          // Terminal callbacks of each run of the headless job, by the run's `done` (a restart
          // or a retry starts a new run with a new one).
          const ends = new Map<Promise<unknown>, number>()
          const ended = () => ends.set(job.done, (ends.get(job.done) ?? 0) + 1)
          const job = pollJob(URL, { ...actionOptions('job'), onComplete: ended, onError: ended })
          const box = document.body.appendChild(document.createElement('div'))
          const widget = new ProgressPolling(box, URL, actionOptions('widget'))
          let pending = 0
          const outcomes: unknown[] = []
          const watch = (promise: Promise<unknown>) => {
            pending++
            promise.then(
              () => pending--,
              (error) => {
                pending--
                outcomes.push(error)
              },
            )
          }
          const timers = calls.map(({ at, what }) =>
            setTimeout(() => {
              if (what === 'respond yes') watch(job.respond('yes'))
              else if (what === 'respond a') watch(widget.respond('a'))
              else if (what === 'cancel') watch(job.cancel())
              else if (what === 'retry') watch(widget.retry())
              else if (what === 'stop') job.stop()
              else if (what === 'restart') job.restart()
              else {
                const button = box.querySelector<HTMLButtonElement>('.pp-actions button')
                button?.click()
                if (what === 'double click') button?.click()
              }
            }, at),
          )
          // The calls come within a minute; each settles within its delay and requestTimeout.
          await vi.advanceTimersByTimeAsync(90_000)
          job.stop()
          widget.destroy()
          await vi.advanceTimersByTimeAsync(60_000)
          for (const timer of timers) clearTimeout(timer)
          const unsettled = pending
          const jobs = pageStore.list().length
          const timersLeft = vi.getTimerCount()
          process.off('unhandledRejection', onUnhandled)
          vi.useRealTimers()
          box.remove()

          expect(unsettled, 'calls not settled').toBe(0)
          expect(escaped).toEqual([])
          expect(twice, 'same action twice').toBe(0)
          expect(maxPolls, 'polls in flight').toBeLessThanOrEqual(1)
          for (const count of ends.values()) expect(count, 'ends of a run').toBeLessThanOrEqual(1)
          for (const error of outcomes) {
            expect(error instanceof ProgressPollingError || error instanceof TypeError, String(error)).toBe(true)
          }
          expect(jobs).toBe(0)
          expect(timersLeft).toBe(0)
          expect(box.querySelector('.pp-actions [aria-busy]')).toBeNull()
        },
      ),
      { numRuns: 120, timeout: 10_000, endOnFailure: true },
    )
  }, 60_000)
})
