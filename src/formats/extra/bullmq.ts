import { type Format, failure, first, lookup, path } from '../types'

const STATES: Record<string, string> = {
  waiting: 'pending',
  prioritized: 'pending',
  delayed: 'pending',
  paused: 'pending',
  active: 'running',
  'waiting-children': 'running',
  completed: 'succeeded',
  failed: 'failed',
}

/**
 * BullMQ and Bull, as Express handlers return a job: `{ ...job.toJSON(), state }`, a trimmed
 * `{ id, state | status, progress, returnvalue | result, failedReason | error }`, or Bull
 * Board's `{ job: { progress, failedReason, stacktrace, isFailed, … }, status }`. `waiting`
 * means queued; a job `delayed` with a `failedReason` waits to retry (attempt
 * `attemptsMade + 1` of `opts.attempts`), so only `state: 'failed'` is a failure; `progress`
 * may be a number or an object (`{ current, total, stage, percent }`).
 */
export const bullmq: Format = {
  order: 11,
  detect: (body) => {
    if (!body) return false
    const { job } = body
    const has = (keys: string[], where: object = body) => keys.some((key) => key in where)
    return String(first(body, 'state', 'status')) in STATES && 'state' in body
      ? has(['returnvalue', 'failedReason', 'progress', 'attemptsMade'])
      : has(['returnvalue', 'failedReason']) ||
          (!!job && typeof job === 'object' && has(['isFailed', 'failedReason'], job))
  },
  read(body) {
    if (!body) return undefined
    const state = first(body, 'state', 'status')
    if (typeof state !== 'string') return undefined
    const job = (body.job && typeof body.job === 'object' ? body.job : body) as Record<string, unknown>
    const { progress, stacktrace } = job
    const reason = first(job, 'failedReason', 'error')
    const object = progress && typeof progress === 'object'
    const made = Number(first(job, 'attemptsMade', 'attempts')) || 0
    return {
      status: state === 'unknown' || state === 'stuck' ? 'failed' : (lookup(STATES, state) ?? state),
      attempt:
        state === 'delayed' && reason ? { number: made + 1, of: path(job, 'opts', 'attempts'), reason } : undefined,
      percent: object ? path(progress, 'percent') : progress,
      processed: path(progress, 'current'),
      total: path(progress, 'total'),
      step: path(progress, 'stage'),
      result: first(job, 'returnvalue', 'returnValue', 'result'),
      error:
        state === 'failed'
          ? failure(reason, Array.isArray(stacktrace) ? stacktrace.at(-1) : undefined)
          : state === 'unknown' || state === 'stuck'
            ? `The queue does not know the job (state "${state}")`
            : undefined,
      startedAt: job.processedOn,
      completedAt: job.finishedOn,
    }
  },
}
