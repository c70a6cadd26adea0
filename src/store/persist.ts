// Jobs that survive a reload. Each job followed with `persist` is saved in localStorage under
// its own key (no read-modify-write between tabs), with a version in the key and an expiry
// counted from its last save; `saved()` sweeps what expired, what is corrupt and what an
// older version wrote. Only data is saved: the job's spec, its start time and its last
// status, percent and step, never headers, tokens or functions. A restored job found ended
// at its first answer finished while no page watched it: the one tab that read that answer
// claims it (under a Web Lock where there is one), removes it, then reports it.
import type { Job, JobState } from '../core/job'
import type { JobSpec } from '../core/options'
import { keyOf } from '../core/source'
import { openChannel } from '../env/channel'
import { exclusive } from '../env/lock'
import { keys, read, remove, write } from '../env/storage'
import { JobCancelledError, JobFailedError, JobUnlistedError, JobVanishedError, PollingLimitError } from '../errors'
import type { JobSnapshot } from '../snapshot/types'
import type { JobStore } from './job-store'

const PREFIX = 'progress-polling:'
/** Entries of this format; others under PREFIX are from another version and are removed. */
const VERSION = `${PREFIX}1:`

/** What is saved of a job. */
export interface Saved {
  spec: JobSpec
  /** When the job started: its limits go on from there. */
  startedAt: number
  savedAt: number
  snapshot: Pick<JobSnapshot, 'status' | 'percent' | 'step'>
  /** What a page showed it as, and whether a jobs tray held it. */
  title?: string
  tray?: boolean
}

/** A job that finished while no page watched it. */
export interface Away {
  snapshot: JobSnapshot
  /** The status URL. */
  url: string
  /** The key it was saved under (`persist`'s string, or its status URL). */
  key: string
  title?: string
}

/** The storage key of a job. */
export const savedKey = (spec: Pick<JobSpec, 'url' | 'persist'>): string =>
  VERSION + (typeof spec.persist === 'string' ? spec.persist : keyOf(spec.url))

/** The saved jobs (only the one of `key`, when given), sweeping the expired and the unreadable. */
export function saved(key?: string, now = Date.now()): [string, Saved][] {
  const found: [string, Saved][] = []
  for (const name of keys(PREFIX)) {
    let entry: Saved | undefined
    try {
      entry = name.startsWith(VERSION) ? JSON.parse(read(name) as string) : undefined
    } catch {
      // Corrupt: removed below.
    }
    const { spec, savedAt, startedAt, snapshot } = Object(entry) as Partial<Saved>
    const readable =
      typeof spec?.url === 'string' &&
      typeof savedAt === 'number' &&
      typeof startedAt === 'number' &&
      typeof snapshot?.status === 'string'
    // `persistFor: Infinity` was saved as `null`.
    if (!readable || now - savedAt > (spec.persistFor === null ? Infinity : Number(spec.persistFor) || 0)) remove(name)
    else if (key === undefined || name === VERSION + key || name === VERSION + keyOf(key))
      found.push([name, entry as Saved])
  }
  return found.sort((a, b) => a[1].savedAt - b[1].savedAt)
}

/** Saves `entry`; when storage is full, makes room by removing our oldest entry once, then gives up. */
function save(name: string, entry: Saved): void {
  const text = JSON.stringify(entry)
  if (write(name, text)) return
  const oldest = saved().find(([other]) => other !== name)
  if (oldest) {
    remove(oldest[0])
    write(name, text)
  }
}

/** Forgets a job's saved entry: it was stopped or closed. */
export const forget = (spec: Pick<JobSpec, 'url' | 'persist'>): void => remove(savedKey(spec))

/** What the page showed each saved job as, by storage key. */
const notes = new Map<string, Pick<Saved, 'title' | 'tray'>>()
/** Saves the title a job is shown with, and whether a tray holds it. */
export const describe = (spec: Pick<JobSpec, 'url' | 'persist'>, note: Pick<Saved, 'title' | 'tray'>): void => {
  notes.set(savedKey(spec), note)
}

/** Storage keys restored in this page that have not been answered yet. */
export const restored = new Set<string>()

// The job's own end, or its server's: the entry goes. A connection that gave up (the network,
// a reload's aborted request, a session to sign in again) keeps it for the next visit.
const over = (state: JobState) =>
  !state.ended?.error ||
  [JobFailedError, JobCancelledError, JobVanishedError, PollingLimitError, JobUnlistedError].some(
    (Type) => state.ended?.error instanceof Type,
  )

const installed = new WeakMap<JobStore, (report: (away: Away) => void) => void>()

/**
 * Saves every job of `store` that has `persist` while it runs, and calls `report` once per
 * browser for a restored job that finished while no page watched it. Installed once per
 * store; a later call with a `report` replaces it.
 */
export function persisting(store: JobStore, report?: (away: Away) => void): void {
  const again = installed.get(store)
  if (again) {
    if (report) again(report)
    return
  }
  let tell = report ?? (() => {})
  installed.set(store, (r) => {
    tell = r
  })
  store.use(() => {
    // `clearSaved()` in any tab: no job of this page is saved again.
    let cleared = 0
    const channel = openChannel(`${PREFIX}saved`)
    const off = channel.subscribe(() => cleared++)
    const clear = () => {
      cleared++
      channel.post('clear')
    }
    clearing.add(clear)
    saved()

    const watch = (job: Job) => {
      const { spec } = job
      if (!spec.persist) return
      const name = savedKey(spec)
      const fresh = restored.delete(name)
      const generation = cleared
      let last = ''
      // Seen unfinished here, from this tab's answers or another's: its end is not news.
      let watched = false
      const keep = ({ snapshot, startedAt }: JobState) => {
        const s: Saved['snapshot'] = snapshot ?? { status: 'pending', percent: null }
        const text = `${s.status} ${s.percent} ${s.step}`
        if (text === last || generation !== cleared) return
        last = text
        save(name, {
          spec,
          startedAt,
          savedAt: Date.now(),
          snapshot: { status: s.status, percent: s.percent, step: s.step },
          ...notes.get(name),
        })
      }
      keep(job.state)
      const unsubscribe = job.subscribe((state) => {
        const { snapshot, seen, ended, stopped, polls } = state
        if (stopped) return unsubscribe()
        if (!ended) {
          if (seen) watched = true
          return keep(state)
        }
        unsubscribe()
        if (!over(state) || generation !== cleared) return keep(state)
        if (!fresh || watched || !polls || !snapshot?.terminal) return remove(name)
        // Claimed by the one tab that finds the entry still there: removed before it is said.
        // A tab that shares claims it at once, before the others hear of the end (they then
        // remove it too); tabs that each poll take turns under a Web Lock.
        const claim = () => {
          const there = read(name) !== null
          remove(name)
          return there
        }
        const say = (claimed: boolean) =>
          claimed && tell({ snapshot, url: spec.url, key: name.slice(VERSION.length), title: notes.get(name)?.title })
        if (spec.shareAcrossTabs) say(claim())
        else void exclusive(`saved:${name}`, claim).then(say)
      }, true)
    }
    for (const job of store.list()) watch(job)
    const unsubscribe = store.subscribe(({ type, job }) => type === 'added' && watch(job))
    return () => {
      unsubscribe()
      off()
      channel.close()
      clearing.delete(clear)
      installed.delete(store)
    }
  })
}

/** What `clearSaved()` tells each store that saves. */
const clearing = new Set<() => void>()

/** Forgets every saved job (at logout), and saves none of those this page follows. */
export function clearSaved(): void {
  for (const name of keys(PREFIX)) remove(name)
  for (const clear of clearing) clear()
}
