// `ProgressPolling.restore()`: the saved jobs followed again, in a jobs tray when the page
// has one. A restored job that finished while no page watched it is reported once per
// browser: `progress-polling:finished-away` on the tray that holds it, or on the document.
import type { JobInit } from '../core/job'
import { type PollJobOptions, resolveOptions, splitOptions } from '../core/options'
import { remove } from '../env/storage'
import { formatNames } from '../formats/index'
import { pageStore } from '../store/job-store'
import { type Away, persisting, restored, saved } from '../store/persist'
import { follow, type PollJob } from '../store/poll-job'

/** Set by a tray on the options of a restored row: what was known before this page. */
export const INIT = Symbol.for('progress-polling.init')
/** A tray's way of marking the row of a status URL as finished while away: `false` when it has none. */
export const AWAY = Symbol.for('progress-polling.away')
// The page's trays, shared by every copy of the library on the page.
const TRAYS = Symbol.for('progress-polling.trays')

/** What `restore()` needs of a jobs tray. */
export interface TrayLike {
  readonly root: HTMLElement
  add(source: string, options: PollJobOptions): unknown
  [AWAY](url: string): boolean
}

/** The page's trays, oldest first: a tray adds itself when created and leaves when destroyed. */
export const pageTrays = (): TrayLike[] => ((globalThis as { [TRAYS]?: TrayLike[] })[TRAYS] ??= [])

/** Says that a job finished while no page watched it, on the tray that holds it or the document. */
function report(away: Away): void {
  const tray = pageTrays().find((t) => t[AWAY](away.url))
  const target = tray?.root ?? globalThis.document
  target?.dispatchEvent(new CustomEvent('progress-polling:finished-away', { bubbles: true, detail: away }))
}

/** Saves the jobs of the page that have `persist`, and reports those that finished away. */
export const saving = (): void => persisting(pageStore, report)

/** Options of `ProgressPolling.restore()`. */
export interface RestoreOptions {
  /** Only the job saved under this key (`persist`'s string, or its status URL). */
  key?: string
  /** The tray to put the jobs in; by default the page's newest tray, when it has one; `null`: none (only the handles). */
  tray?: TrayLike | null
}

/**
 * Follows the saved, unexpired jobs again (`only`: those a tray saved, into `tray` alone,
 * with no headless handles). Returns their headless handles.
 */
export function restoreJobs(options: RestoreOptions = {}, only?: TrayLike): PollJob[] {
  const { key, tray = only ?? pageTrays().at(-1) } = Object(options) as RestoreOptions
  if (key !== undefined && (typeof key !== 'string' || !key)) {
    throw new TypeError(`progress-polling: restore({ key }) takes the key a job was saved under, got ${key}`)
  }
  saving()
  const jobs: PollJob[] = []
  for (const [name, entry] of saved(key)) {
    if (only && !entry.tray) continue
    // Data only: a restored job's headers and hooks are the page's defaults, or its tray's.
    const { url, ...spec } = entry.spec
    // `Infinity` was saved as `null`: the default again.
    const data = Object.fromEntries(Object.entries(spec).filter(([, value]) => value !== null)) as PollJobOptions
    // What was saved, as far as it is a job still under way (an entry may have been edited).
    const { status, percent, step } = entry.snapshot
    const init: JobInit = {
      snapshot: {
        status: /^(running|waiting)$/.test(status) ? status : 'pending',
        percent: typeof percent === 'number' && percent >= 0 && percent <= 100 ? percent : null,
        step: typeof step === 'string' ? step : undefined,
        terminal: false,
        raw: undefined,
      },
      startedAt: entry.startedAt,
    }
    let o: ReturnType<typeof resolveOptions<PollJobOptions>>
    let split: ReturnType<typeof splitOptions>
    try {
      o = resolveOptions(data, formatNames())
      split = splitOptions(url, o)
    } catch {
      // Saved by a version that read it otherwise, or edited by hand: dropped.
      remove(name)
      continue
    }
    restored.add(name)
    try {
      const row = tray?.add(url, { ...data, title: entry.title, [INIT]: init } as PollJobOptions)
      if (only) continue
      const job = follow(pageStore, split, o, init)
      jobs.push(job)
      // Closed in the tray: not followed any more.
      const root = tray?.root
      const closed = (event: Event) => {
        if ((event as CustomEvent).detail !== row) return
        job.stop()
        root?.removeEventListener('progress-polling:removed', closed)
      }
      root?.addEventListener('progress-polling:removed', closed)
    } finally {
      restored.delete(name)
    }
  }
  return jobs
}
