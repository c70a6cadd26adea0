/** The six states every server's vocabulary is mapped onto. */
export type JobStatus = 'pending' | 'running' | 'waiting' | 'succeeded' | 'failed' | 'cancelled'

/**
 * One normalized view of the job, whatever format the server sent.
 * Callbacks, DOM events and `subscribe` listeners all receive this shape.
 */
export interface JobSnapshot {
  status: JobStatus
  /** `true` once the job succeeded, failed or was cancelled. */
  terminal: boolean
  /** 0..100, or `null` when the server gives no way to know (indeterminate bar). */
  percent: number | null
  processed?: number
  total?: number
  failed?: number
  message?: string
  /** Stage name, e.g. `'uploading'` → `'indexing'` → `'analyzing'`. */
  step?: string
  /** The stages of a stage-based job, in order (the `steps` option, or the server's list). */
  steps?: string[]
  /** The server format the response was read as (`'default'`, `'celery-progress'`, …). */
  format?: string
  result?: unknown
  error?: { message: string; code?: string | number }
  startedAt?: Date
  completedAt?: Date
  elapsedMs?: number
  etaMs?: number
  /** The parsed body as the server sent it (the last one, when polling itself failed). */
  raw: unknown
  /**
   * How the job is reached, apart from what the server says of it (`status`); absent while
   * all is well. `'retrying'`: polling waits to retry after a transient failure (network
   * error, timeout, 5xx, 429). `'paused'`: the tab is hidden or the browser offline.
   * `'lost'`: polling gave up (the error says why); `status` is the last the server sent.
   */
  connection?: 'retrying' | 'paused' | 'lost'
  /** While retrying: which retry comes next, out of how many, when, and why. */
  retry?: { attempt: number; limit: number; delayMs: number; reason: string }
}

/** What a format reads from one response, before the shared rules are applied. */
export interface SnapshotFields {
  status: string
  percent?: unknown
  processed?: unknown
  total?: unknown
  failed?: unknown
  message?: unknown
  step?: unknown
  result?: unknown
  error?: unknown
  startedAt?: unknown
  completedAt?: unknown
  /** Seconds the job has been running, as the server counts them. */
  durationSeconds?: unknown
  /** The server's list of stages. */
  steps?: unknown
  /** Keep the last percent (a retry of the job, whose counts mean nothing yet). */
  keepPercent?: boolean
}
