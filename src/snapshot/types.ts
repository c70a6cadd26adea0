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
  /** Why the job failed or was cancelled; `detail` is the server's longer account (a traceback, a stack). */
  error?: { message: string; code?: string | number; detail?: string }
  /**
   * Present while the job waits to retry after one of its own attempts failed (Sidekiq's
   * `retrying`, Celery's `RETRY`, a BullMQ job `delayed` with a `failedReason`): the job is
   * still `running`, not failed. `number` is the attempt to come (2 after the first failure);
   * `of` how many the backend allows, when it says; `reason` why the last one failed.
   */
  attempt?: { number: number; of?: number; reason?: string }
  /** The job's id, as the server gives it (`job_id`, `id`, `task_id`, `jid`). */
  id?: string
  /** While `waiting`: the question the job asks a person. */
  prompt?: string
  /** While `waiting`: the answers a person may give; `respond(id)` sends one. */
  choices?: Choice[]
  /**
   * The action URLs the server sent in the body (`respond_url`, `cancel_url`, `retry_url`).
   * They are used only when they are on the status URL's origin or one of `actionOrigins`.
   */
  actions?: { respond?: string; cancel?: string; retry?: string }
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

/** One answer a waiting job offers. `kind: 'danger'` marks one that destroys or replaces something. */
export interface Choice {
  id: string
  label: string
  kind?: 'primary' | 'danger'
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
  /**
   * The job waits to retry (also said by a status word `retry`/`retrying`); its counts mean
   * nothing until it runs again. Each part is optional: the attempt's number is counted
   * when the server does not send it.
   */
  attempt?: { number?: unknown; of?: unknown; reason?: unknown }
  /**
   * The counts of this body are placeholders, not the job's (celery-progress sends `0/100`
   * before a task reports and `100/100` once it ended): the last real ones stay.
   */
  placeholder?: boolean
  id?: unknown
  prompt?: unknown
  /** Strings, or objects `{ id | value, label, kind }`. */
  choices?: unknown
  actions?: { respond?: unknown; cancel?: unknown; retry?: unknown }
}
