// Compile-time tests of the public API: `npm test` type-checks this file (test/tooling.test.ts).
// Each @ts-expect-error line is misuse that must not compile.
import { expectTypeOf } from 'vitest'
import {
  HttpError,
  type JobSnapshot,
  type JobStatus,
  type PollJob,
  type PollJobOptions,
  ProgressPolling,
  type ProgressPollingError,
  type ProgressPollingOptions,
  ProgressTray,
  pollJob,
} from '../src/index'

declare const element: HTMLElement

const widget = new ProgressPolling('jauge', '42', {
  url: '/jobs/{id}/',
  title: 'Import',
  icon: '📊',
  pollInterval: 500,
  onComplete: (snapshot) => expectTypeOf(snapshot).toEqualTypeOf<JobSnapshot>(),
  onError: (error) => expectTypeOf(error).toEqualTypeOf<ProgressPollingError>(),
})
new ProgressPolling(element, 42, { url: (id) => `/api/${id}` })
new ProgressPolling('#jauge', '/jobs/42/')

expectTypeOf(widget.snapshot).toEqualTypeOf<JobSnapshot | undefined>()
expectTypeOf(widget.done).toEqualTypeOf<Promise<JobSnapshot>>()
expectTypeOf(widget.stop).toEqualTypeOf<() => void>()
expectTypeOf(widget.destroy).toEqualTypeOf<() => void>()
expectTypeOf(ProgressPolling.defaults.pollInterval).toEqualTypeOf<number | undefined>()

const job = pollJob('/jobs/42/', { headers: { 'X-CSRFToken': 't' }, credentials: 'include' })
expectTypeOf(job).toEqualTypeOf<PollJob>()
expectTypeOf(job.subscribe).parameter(0).toEqualTypeOf<(snapshot: JobSnapshot) => void>()
expectTypeOf(job.subscribe(() => {})).toEqualTypeOf<() => void>()
expectTypeOf<JobSnapshot['status']>().toEqualTypeOf<JobStatus>()
expectTypeOf<JobSnapshot['percent']>().toEqualTypeOf<number | null>()
expectTypeOf<ProgressPollingOptions>().toMatchTypeOf<PollJobOptions>()
expectTypeOf(new HttpError('m', '/u', {}).status).toEqualTypeOf<number>()
expectTypeOf(job.respond).toEqualTypeOf<(choice: string) => Promise<unknown>>()
expectTypeOf(widget.cancel).toEqualTypeOf<() => Promise<unknown>>()
expectTypeOf<NonNullable<JobSnapshot['choices']>[number]['kind']>().toEqualTypeOf<'primary' | 'danger' | undefined>()
pollJob(7, { url: '/j/{id}/', respondUrl: (id) => `/j/${id}/answer`, cancelUrl: '/j/{id}/cancel', actionOrigins: [] })
// @ts-expect-error actionOrigins is a list of origins
pollJob('/j/', { actionOrigins: 'https://a.test' })

// @ts-expect-error pollInterval is a number of milliseconds
new ProgressPolling('jauge', '/j/', { pollInterval: '500' })
// @ts-expect-error onComplete receives a snapshot, not a string
new ProgressPolling('jauge', '/j/', { onComplete: (s: string) => s })
// @ts-expect-error the source is a URL or an id, not an object
new ProgressPolling('jauge', { id: 42 })
// @ts-expect-error a container is an element or a string
new ProgressPolling(42, '/j/')
// @ts-expect-error the headless poller has no widget options
pollJob('/j/', { title: 'Import' })
// @ts-expect-error snapshot is read-only
job.snapshot = undefined
// @ts-expect-error status is one of six words
const status: JobStatus = 'in_progress'
void status

// Saved jobs: `persist` is true or a key; restore() gives headless handles, into a tray or not.
pollJob('/jobs/42/', { persist: 'report-42', persistFor: 60_000, shareAcrossTabs: false })
new ProgressPolling('jauge', '42', { persist: true })
expectTypeOf(ProgressPolling.restore()).toEqualTypeOf<PollJob[]>()
expectTypeOf(ProgressPolling.restore({ key: 'report-42', tray: new ProgressTray() })).toEqualTypeOf<PollJob[]>()
expectTypeOf(ProgressPolling.restore({ tray: null })).toEqualTypeOf<PollJob[]>()
expectTypeOf(ProgressPolling.clearSaved()).toEqualTypeOf<void>()
// @ts-expect-error: persist is a boolean or a key
pollJob('/jobs/42/', { persist: 42 })
