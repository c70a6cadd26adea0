import { delay, HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, vi } from 'vitest'
import { pageStore } from '../../src/store/job-store'

/** The origin happy-dom gives pages; node tests use it too so that URLs read the same. */
export const ORIGIN = 'http://localhost:3000'
export const server = setupServer()

/** One answer of the simulated job server. A plain object is sent as JSON with status 200. */
export type Step =
  | Record<string, unknown>
  | unknown[]
  | null
  | ((info: { request: Request }) => Response | Promise<Response>)
  | { networkError: true }
  | { wait: number; send: Step }

export interface Served {
  /** Every request received, in order. */
  requests: Request[]
  /** `Date.now()` at each request (fake time in tests that use fake timers). */
  times: number[]
  /** The most requests that were ever being answered at once. */
  maxInFlight: number
}

/**
 * Answers `path` with `steps` in order; the last step repeats forever.
 * @example serveJob('/jobs/1/', [{ status: 'pending' }, { status: 'completed' }])
 */
export function serveJob(path: string, steps: Step[]): Served {
  const served: Served = { requests: [], times: [], maxInFlight: 0 }
  let inFlight = 0
  const answer = async (step: Step, request: Request): Promise<Response> => {
    if (typeof step === 'function') return step({ request })
    if (step && 'networkError' in step) return HttpResponse.error()
    if (step && 'wait' in step && 'send' in step) {
      await delay(step.wait as number)
      return answer(step.send as Step, request)
    }
    return HttpResponse.json(step)
  }
  server.use(
    http.get(`${ORIGIN}${path}`, async ({ request }) => {
      const step = steps[Math.min(served.requests.length, steps.length - 1)] as Step
      served.requests.push(request)
      served.times.push(Date.now())
      served.maxInFlight = Math.max(served.maxInFlight, ++inFlight)
      // A request the client aborted is no longer in flight, even while the server still works on it.
      let counted = true
      const release = () => {
        if (counted) inFlight--
        counted = false
      }
      request.signal.addEventListener('abort', release)
      try {
        return await answer(step, request)
      } finally {
        release()
      }
    }),
  )
  return served
}

/** Starts msw for the file, with fake timers around each test. */
export function withJobServer(): void {
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
  afterEach(() => {
    // Jobs are shared by URL in the page: one test's job must not be joined by the next.
    pageStore.stopAll()
    server.resetHandlers()
    vi.useRealTimers()
  })
  afterAll(() => server.close())
}

/** Gaps between consecutive request times. */
export const gaps = (times: number[]): number[] => times.slice(1).map((t, i) => t - (times[i] as number))

/** A default-format body at `processed` of 100 items. */
export const defaultBody = (status: string, processed: number, extra: Record<string, unknown> = {}) => ({
  job_id: 'abc-123',
  status,
  task_type: 'import',
  total_items: 100,
  processed_items: processed,
  failed_items: 0,
  progress_percentage: processed,
  current_message: `Processing row ${processed}`,
  started_at: '2025-01-16T10:30:00Z',
  completed_at: null,
  duration: processed / 2,
  metadata: {},
  ...extra,
})

/** A job that asks a person, in the generic shape with a question and two answers. */
export const waitingBody = {
  status: 'waiting_user',
  job_id: 'j1',
  prompt: 'Replace the 12 existing contacts?',
  choices: [
    { id: 'replace', label: 'Replace them', kind: 'danger' },
    { id: 'keep', label: 'Keep both' },
  ],
}

/**
 * Answers the action POSTs to `<path><action>/` and records them (`'respond {"choice":"ok"}'`,
 * `'retry '`): a retry answers 201 with the job at `retryTo`, the others 204.
 */
export function serveActions(path: string, retryTo: string): string[] {
  const posted: string[] = []
  server.use(
    http.post(`${ORIGIN}${path}:action/`, async ({ request, params }) => {
      posted.push(`${params.action} ${await request.text()}`)
      return params.action === 'retry'
        ? new HttpResponse(null, { status: 201, headers: { Location: `${ORIGIN}${retryTo}` } })
        : new HttpResponse(null, { status: 204 })
    }),
  )
  return posted
}

/**
 * A job at `path` that asks a question until it is answered, then fails; its actions answered
 * by `serveActions` (a retry moves to `retryTo`). Returns the actions received.
 */
export function serveAskingJob(path: string, retryTo: string): string[] {
  const posted = serveActions(path, retryTo)
  serveJob(path, [
    () =>
      HttpResponse.json(
        posted.length ? defaultBody('failed', 40, { error: 'Disk full' }) : { status: 'waiting', choices: ['ok'] },
      ),
  ])
  return posted
}

/** One event stream a test writes to. */
export interface Stream {
  request: Request
  send(text: string): void
  end(): void
  fail(): void
}

/** Answers `path` with an event stream per request (or with `answer(n)` when it gives a Response). */
export function serveStream(path: string, answer: (n: number) => Response | undefined = () => undefined) {
  const streams: Stream[] = []
  server.use(
    http.get(`${ORIGIN}${path}`, ({ request }) => {
      const other = answer(streams.length)
      let controller!: ReadableStreamDefaultController<Uint8Array>
      const body = new ReadableStream<Uint8Array>({ start: (c) => (controller = c) })
      const safely = (fn: () => void) => {
        try {
          fn()
        } catch {
          // Already closed by the client.
        }
      }
      streams.push({
        request,
        send: (text) => safely(() => controller.enqueue(new TextEncoder().encode(text))),
        end: () => safely(() => controller.close()),
        fail: () => safely(() => controller.error(new Error('connection reset'))),
      })
      return other ?? new HttpResponse(body, { headers: { 'content-type': 'text/event-stream' } })
    }),
  )
  return streams
}
