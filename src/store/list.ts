// A list endpoint: one request for every listed job. The list is polled as a job of its own,
// so its requests retry, back off, honour Retry-After, pause in a hidden tab and send ETags
// like a status's, and one tab of the browser polls it for all (`shareAcrossTabs`); each item
// goes to its job through a remote transport and is read by that job's format and reducer, as
// if the job had polled it. The list is polled while a listed job is pending, running or
// waiting, and stops when none is.
import { createJob, type Job, type JobState } from '../core/job'
import type { JobHooks, JobSpec } from '../core/options'
import { withId } from '../core/source'
import { createRemote, type Remote } from '../core/transport/remote'
import { requestJson } from '../core/transport/request'
import { JobUnlistedError } from '../errors'
import { toSnapshot } from '../formats/index'
import { first, type ResponseMeta } from '../formats/types'
import type { JobStore } from './job-store'

/** What the list endpoint returned: an array, or one under `jobs`, `results`, `data` or `items`. */
export function itemsOf(body: unknown): unknown[] {
  const list = Array.isArray(body) ? body : first(Object(body), 'jobs', 'results', 'data', 'items')
  if (!Array.isArray(list)) {
    throw new Error('not a list of jobs: send an array, or an object with one under jobs, results, data or items')
  }
  return list
}

/** A listed job's id (`id`, `job_id`, `jid`, `task_id`), or `undefined`. */
export function idOfItem(item: unknown): string | undefined {
  if (!item || typeof item !== 'object') return undefined
  const id = first(item as Record<string, unknown>, 'id', 'job_id', 'jid', 'task_id')
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined
}

export interface ListSetup {
  /** The list endpoint. */
  url: string
  /** Milliseconds between two requests of the list. */
  interval: number
  /** The listed jobs' options; `spec.url` is unused. */
  spec: JobSpec
  hooks: JobHooks
  /** The template of a listed job's status URL (`/jobs/{id}/`), if there is one. */
  template?: string | ((id: string) => string)
  /** A listed job seen for the first time, with the status URL it is known by. */
  onJob(id: string, url: string): void
  /** The list's own state, at every change: its connection, or the error that ended it. */
  onState(state: JobState): void
}

export interface List {
  /** Requests the list now, and polls it again if it had stopped. */
  refresh(): void
  /** Stops feeding the job of `id`, and leaves it out while the list still has it (it was closed). */
  forget(id: string): void
  /** Stops polling the list and every job it feeds. */
  stop(): void
}

const ACTIVE = new Set(['pending', 'running', 'waiting'])

/** Follows the list endpoint of `setup`, feeding the jobs it lists into `store`. */
export function followList(store: JobStore, setup: ListSetup): List {
  const { spec, hooks, template } = setup
  /** Each listed job, with its item as last sent (the same again is sent as "unchanged"). */
  const fed = new Map<string, { job: Job; remote?: Remote; leave: () => void; text?: string; leaving?: boolean }>()
  const ignored = new Set<string>()
  let list: Job | undefined
  let unsubscribe = () => {}
  let lastRaw: unknown
  let lastPolls = -1
  /** The snapshot last read: another tab's answers come as new snapshots, not polls of this tab. */
  let lastSnapshot: unknown
  // Ends the requests of jobs that left the list when the list is stopped.
  let stopped = new AbortController()

  const statusUrl = (id: string) => {
    const url = template === undefined ? undefined : withId(template, id)
    return typeof url === 'string' ? url : `${setup.url}#${encodeURIComponent(id)}`
  }
  const active = (item: unknown, meta: ResponseMeta) => {
    try {
      const reading = { format: spec.format, steps: spec.steps, parse: hooks.parse }
      return ACTIVE.has(toSnapshot(item, meta, reading).snapshot.status)
    } catch {
      return false
    }
  }

  /** A job that left the list before it ended: its own status URL is asked once, if it has one. */
  async function unlisted(id: string, entry: { job: Job; remote?: Remote; leaving?: boolean }) {
    const { remote, job } = entry
    if (!remote || entry.leaving || job.state.ended || job.state.stopped) return
    // Asked once, whatever the list says meanwhile.
    entry.leaving = true
    const { signal } = stopped
    const gone = () =>
      remote.fail(new JobUnlistedError(`The job ${id} left the list of ${setup.url} before it ended`, job.spec.url))
    if (template === undefined) return gone()
    try {
      const received = await requestJson(
        job.spec.url,
        hooks,
        { credentials: spec.credentials, timeout: spec.requestTimeout },
        {},
        signal,
      )
      remote.push({ type: 'body', body: received.body, meta: received.meta })
    } catch {
      // Not reachable either: its end is unknown.
    }
    // The job reads what was pushed in its next turn; whatever it read, it is followed no longer.
    await Promise.resolve()
    await Promise.resolve()
    if (!job.state.ended && !signal.aborted) gone()
  }

  /** The listed items: the first of each id, without the closed ones. */
  function listed(body: unknown): Map<string, unknown> {
    const items = new Map<string, unknown>()
    for (const item of itemsOf(body)) {
      const id = idOfItem(item)
      if (id !== undefined && !items.has(id) && !ignored.has(id)) items.set(id, item)
    }
    return items
  }

  /** Every answer of the list is an answer for each listed job, as if it had polled. */
  function read(state: JobState) {
    const snapshot = state.snapshot
    if (!snapshot || snapshot.connection || (state.polls === lastPolls && snapshot === lastSnapshot)) return
    lastPolls = state.polls
    lastSnapshot = snapshot
    if (snapshot.raw === lastRaw) {
      for (const entry of fed.values()) entry.remote?.push({ type: 'unchanged' })
      return
    }
    lastRaw = snapshot.raw
    const meta: ResponseMeta = { status: 200, headers: new Headers(), url: setup.url }
    const seen = listed(snapshot.raw)
    for (const [id, item] of seen) {
      let entry = fed.get(id)
      if (!entry) {
        const url = statusUrl(id)
        const known = store.get(url)
        const remote = known ? undefined : createRemote()
        // Not saved: the list has it again after a reload.
        const job = known ?? store.add({ ...spec, url, persist: false }, hooks, undefined, remote?.transport)
        // The list holds the job while it feeds it: a widget that leaves does not stop it.
        const leave = job.subscribe(() => {})
        entry = { job, remote, leave }
        fed.set(id, entry)
        setup.onJob(id, url)
      }
      const text = JSON.stringify(item)
      entry.remote?.push(
        text === entry.text
          ? { type: 'unchanged' }
          : { type: 'body', body: item, meta: { ...meta, url: entry.job.spec.url } },
      )
      entry.text = text
    }
    for (const [id, entry] of fed) if (!seen.has(id)) void unlisted(id, entry)
    // A closed job is left out while listed; once the list no longer has it, it is forgotten.
    if (ignored.size) {
      const all = new Set(itemsOf(snapshot.raw).map(idOfItem))
      for (const id of ignored) if (!all.has(id)) ignored.delete(id)
    }
  }

  function start() {
    unsubscribe()
    if (stopped.signal.aborted) stopped = new AbortController()
    lastRaw = undefined
    lastPolls = -1
    lastSnapshot = undefined
    const parse = (body: unknown, meta: ResponseMeta) => ({
      status: [...listed(body).values()].some((item) => active(item, meta)) ? 'running' : 'succeeded',
    })
    list = createJob(
      {
        ...spec,
        url: setup.url,
        persist: false,
        pollInterval: setup.interval,
        maxPollInterval: undefined,
        transport: 'poll',
        maxAttempts: Infinity,
        timeout: Infinity,
        staleTimeout: Infinity,
        startTimeout: Infinity,
        notFoundGrace: 0,
        steps: undefined,
      },
      { ...hooks, parse },
    )
    const job = list
    unsubscribe = job.subscribe((state) => {
      if (job !== list) return
      read(state)
      // Nothing listed is active any more: a job's failure held for one more answer (read
      // before its reason was stored) gets it now, since no other answer will come.
      if (state.ended && !state.ended.error) for (const entry of fed.values()) entry.remote?.push({ type: 'unchanged' })
      setup.onState(state)
    })
  }

  const drop = (id: string) => {
    fed.get(id)?.leave()
    fed.delete(id)
  }

  start()
  return {
    refresh() {
      if (list && !list.state.ended && !list.state.stopped) list.refresh()
      else start()
    },
    forget(id) {
      ignored.add(id)
      drop(id)
    },
    stop() {
      stopped.abort()
      list = undefined
      unsubscribe()
      for (const id of [...fed.keys()]) drop(id)
    },
  }
}
