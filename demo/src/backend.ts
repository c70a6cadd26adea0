// The simulated job server of the demo: each job's state is computed from the time
// since it was created, in the default format. Runs inside msw's service
// worker handlers, so the demo needs no server of its own. The jobs are kept in
// localStorage, so that every tab of the demo, and the page after a reload, see the same
// jobs: one server, as a real one would be.
import { delay, HttpResponse, http, sse } from 'msw'

export type Scenario =
  | 'success'
  | 'failure'
  | 'unknown'
  | 'slow'
  | 'flaky'
  | 'stages'
  | 'stream'
  | 'question'
  | 'long'
  | 'cancelled'
  | 'down'
  | 'login'
  | 'reload'
  | 'resend'

interface Job {
  scenario: Scenario
  createdAt: number
  requests: number
  /** The person's answer, and when it came (the `question` job waits for it). */
  answer?: string
  answeredAt?: number
  cancelled?: boolean
  /** Listed by the session's list endpoint (the jobs tray's). */
  listed?: string
}

const jobs = new Map<string, Job>()
const KEPT = 'demo:jobs'

/** The jobs every tab created, as another tab or the page before a reload left them. */
function load(): void {
  try {
    for (const [id, job] of Object.entries(JSON.parse(localStorage.getItem(KEPT) ?? '{}') as Record<string, Job>)) {
      // The same object: a handler that holds it sees what other tabs did.
      jobs.set(id, Object.assign(jobs.get(id) ?? { requests: 0 }, job, { requests: jobs.get(id)?.requests ?? 0 }))
    }
  } catch {
    // No storage: this tab's jobs only.
  }
}

function keep(): void {
  try {
    // An hour of jobs at most.
    const recent = [...jobs].filter(([, job]) => Date.now() - job.createdAt < 3_600_000)
    localStorage.setItem(KEPT, JSON.stringify(Object.fromEntries(recent)))
  } catch {
    // No storage: this tab's jobs only.
  }
}

/** Status requests this tab sent: another tab that shares a job sends them instead. */
export const sent = { requests: 0 }

/** Creates a job of a scenario and returns its id; a `title` lists it on the session's list endpoint. */
export function createJob(scenario: Scenario, title?: string): string {
  load()
  const id = `${scenario}-${Math.random().toString(36).slice(2, 6)}`
  jobs.set(id, { scenario, createdAt: Date.now(), requests: 0, listed: title })
  keep()
  return id
}

const TOTAL = 240
const DURATION = {
  success: 9000,
  failure: 9000,
  unknown: 7000,
  slow: 9000,
  flaky: 9000,
  stages: 10000,
  stream: 8000,
  question: 9000,
  long: 120000,
  cancelled: 9000,
  down: 9000,
  login: 9000,
  reload: 40000,
  // A retried send: only what the first try did not send is left.
  resend: 4000,
}
const STAGES = ['uploading', 'indexing', 'analyzing']

function status(id: string, job: Job, now: number) {
  if (job.cancelled) return { job_id: id, status: 'cancelled', current_message: 'Cancelled at your request' }
  // Someone else cancels this one at 35 %.
  if (job.scenario === 'cancelled' && now - job.createdAt - 800 > 0.35 * DURATION.cancelled) {
    return {
      job_id: id,
      status: 'cancelled',
      total_items: TOTAL,
      processed_items: Math.floor(0.35 * TOTAL),
      progress_percentage: 35,
      started_at: new Date(job.createdAt + 800).toISOString(),
      completed_at: new Date(now).toISOString(),
      current_message: 'Cancelled by Alice',
    }
  }
  // The question job stops at 40 % and asks; after the answer it goes on from there.
  const asked = 0.4 * DURATION.question
  const waited = job.scenario === 'question' && job.answeredAt ? job.answeredAt - job.createdAt - 800 - asked : 0
  const elapsed = Math.max(0, now - job.createdAt - 800 - Math.max(0, waited))
  const fraction = Math.min(1, elapsed / DURATION[job.scenario])
  const started = elapsed > 0
  const processed = Math.floor(fraction * TOTAL)
  const base = {
    job_id: id,
    task_type: 'import',
    started_at: started ? new Date(job.createdAt + 800).toISOString() : null,
    completed_at: null as string | null,
    duration: elapsed / 1000,
    metadata: {},
  }
  if (!started)
    return {
      ...base,
      status: 'pending',
      total_items: TOTAL,
      processed_items: 0,
      failed_items: 0,
      current_message: 'Waiting for a worker…',
    }
  if (job.scenario === 'unknown') {
    if (fraction < 1)
      return { ...base, status: 'in_progress', current_message: `Analysing… ${Math.round(elapsed / 100) / 10} s` }
    return {
      ...base,
      status: 'completed',
      completed_at: new Date(now).toISOString(),
      current_message: 'Analysis ready',
    }
  }
  if (job.scenario === 'stages') {
    const stage = STAGES[Math.min(STAGES.length - 1, Math.floor(fraction * STAGES.length))]
    if (fraction < 1) return { status: stage, message: `Stage: ${stage}` }
    return { status: 'complete', message: 'Video analysed', result: { scenes: 42 } }
  }
  if (job.scenario === 'question' && fraction >= 0.4 && !job.answer) {
    return {
      ...base,
      status: 'waiting_user',
      total_items: TOTAL,
      processed_items: Math.floor(0.4 * TOTAL),
      failed_items: 0,
      progress_percentage: 40,
      current_message: '12 contacts in the file already exist',
      prompt: 'Replace the 12 existing contacts?',
      choices: [
        { id: 'replace', label: 'Replace them', kind: 'danger' },
        { id: 'keep', label: 'Keep both' },
      ],
    }
  }
  const failedItems = Math.floor(processed / 37)
  if (job.scenario === 'failure' && fraction >= 0.6) {
    return {
      ...base,
      status: 'failed',
      total_items: TOTAL,
      processed_items: Math.floor(0.6 * TOTAL),
      failed_items: failedItems + 1,
      progress_percentage: 100,
      current_message: 'Row 145: the e-mail address "bob@" is not valid',
      completed_at: new Date(now).toISOString(),
    }
  }
  const done = fraction >= 1
  return {
    ...base,
    status: done ? 'completed' : 'in_progress',
    total_items: TOTAL,
    processed_items: processed,
    failed_items: failedItems,
    progress_percentage: Math.round(fraction * 1000) / 10,
    current_message: done
      ? `Imported ${TOTAL - failedItems} rows${job.answer ? ` (${job.answer === 'keep' ? 'kept' : 'replaced'} the 12 existing)` : ''}`
      : `Processing row ${processed + 1} of ${TOTAL}`,
    completed_at: done ? new Date(now).toISOString() : null,
  }
}

/** The job of an action's request, or the answer that says it does not exist. */
const jobOf = (params: Record<string, unknown>) => {
  load()
  return jobs.get(String(params.id))
}
const missing = () => HttpResponse.json({ detail: 'No such job' }, { status: 404 })

export const handlers = [
  // Actions, as a Django view would answer them: 202 for an answer (409 if already given), 204
  // for a cancel, 201 with the new job's Location for a retry.
  http.post('*/api/jobs/:id/respond/', async ({ params, request }) => {
    const job = jobOf(params)
    if (!job) return missing()
    if (job.answer) return HttpResponse.json({ detail: `Already answered: ${job.answer}` }, { status: 409 })
    const choice = String(((await request.json()) as { choice?: unknown }).choice)
    await delay(300)
    load()
    job.answer = choice
    job.answeredAt = Date.now()
    keep()
    return HttpResponse.json({ accepted: job.answer }, { status: 202 })
  }),
  http.post('*/api/jobs/:id/cancel/', async ({ params }) => {
    const job = jobOf(params)
    if (!job) return missing()
    await delay(300)
    load()
    job.cancelled = true
    keep()
    return new HttpResponse(null, { status: 204 })
  }),
  http.post('*/api/jobs/:id/retry/', async ({ params, request }) => {
    if (!jobOf(params)) return missing()
    await delay(300)
    const id = createJob('resend')
    return new HttpResponse(null, { status: 201, headers: { Location: new URL(`../../${id}/`, request.url).href } })
  }),
  // The stream of a job: its status whenever it changes, as Server-Sent Events with ids;
  // the client closes it once the job has ended.
  sse<{ message: string }, { id: string }>('*/api/jobs/:id/events', ({ params, client }) => {
    const id = String(params.id)
    load()
    const job = jobs.get(id)
    if (!job) return client.close()
    let last = ''
    let n = 0
    const push = () => {
      const body = JSON.stringify(status(id, job, Date.now()))
      if (body !== last) client.send({ id: String(n++), data: body })
      last = body
      if (JSON.parse(body).status === 'completed') clearInterval(timer)
    }
    const timer = setInterval(push, 250)
    push()
  }),
  // The session's jobs, as a chat app's endpoint lists them: every job started for it, with its
  // status in the same format as its own status URL's, and its title.
  http.get('*/api/session/jobs/', () => {
    load()
    return HttpResponse.json({
      jobs: [...jobs]
        .filter(([, job]) => job.listed)
        .map(([id, job]) => ({ ...status(id, job, Date.now()), id, title: job.listed })),
    })
  }),
  http.get('*/api/jobs/:id/', async ({ params }) => {
    const id = String(params.id)
    load()
    const job = jobs.get(id)
    if (!job) return HttpResponse.json({ detail: `No job ${id}` }, { status: 404, statusText: 'Not Found' })
    job.requests++
    sent.requests++
    dispatchEvent(new Event('demo:request'))
    if (job.scenario === 'slow') await delay(1500)
    // The flaky server answers 503 to its 3rd, 4th and 5th requests, then recovers; the one
    // that goes down answers 503 from its 5th on, for good.
    if (
      (job.scenario === 'flaky' && job.requests >= 3 && job.requests <= 5) ||
      (job.scenario === 'down' && job.requests >= 5)
    ) {
      return new HttpResponse(null, { status: 503, statusText: 'Service Unavailable' })
    }
    // The session expired: the server sends its login page instead of the status.
    if (job.scenario === 'login' && job.requests >= 5) {
      return new HttpResponse('<!doctype html><title>Sign in</title><h1>Please sign in</h1>', {
        headers: { 'content-type': 'text/html' },
      })
    }
    return HttpResponse.json(status(id, job, Date.now()))
  }),
]
