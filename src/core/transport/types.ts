import type { ProgressPollingError } from '../../errors'
import type { ResponseMeta } from '../../formats/types'
import type { JobSnapshot } from '../../snapshot/types'
import type { JobState } from '../machine'
import type { JobHooks, JobSpec } from '../options'

/** What a transport tells the job. The job's reducer turns each into its next state. */
export type TransportEvent =
  /** A status body, in any format, and what came with it. */
  | { type: 'body'; body: unknown; meta: ResponseMeta }
  /** An answer that changes nothing: a 304, the same body again, a 404 within `notFoundGrace`. */
  | { type: 'unchanged' }
  /** A transient failure: the next try is `delayMs` away. */
  | { type: 'retrying'; error: ProgressPollingError; attempt: number; limit: number; delayMs: number }
  /** The page is away (hidden, offline), or back. */
  | { type: 'paused' }
  | { type: 'resumed' }
  /** A snapshot already read elsewhere (another tab), and whether the job itself changed (not only how it is reached). */
  | { type: 'snapshot'; snapshot: JobSnapshot; progressed?: boolean }

/** Why a wait ended. */
export type Wake = 'time' | 'refresh' | 'back' | 'abort'

/** What a transport gets from its job for one run. */
export interface TransportContext {
  spec: JobSpec
  hooks: JobHooks
  /** Aborted when the run ends: every request and wait ends with it. */
  signal: AbortSignal
  /** Waits `ms` (Infinity: until woken); `refresh()` wakes it, and with `untilBack`, the page's return. */
  sleep(ms: number, untilBack?: boolean): Promise<Wake>
  /** Whether polling should wait: the tab is hidden (with `pauseWhenHidden`) or the browser offline. */
  away(): boolean
  /** Whether the browser says it is online. */
  online(): boolean
  log(...args: unknown[]): void
  /** What the job knows now: after a `yield`, the event yielded has been read. */
  state(): JobState
  /** Wakes the current `sleep` with `'refresh'` (or the next one, at once). */
  refresh(): void
}

/**
 * A way of reaching a job: yields events until the job ends (the job stops reading) or the
 * run's signal aborts; throws a `ProgressPollingError` to give up.
 */
export type Transport = (ctx: TransportContext) => AsyncIterable<TransportEvent>
