import { type Format, first, lookup, path } from '../types'

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
 * BullMQ and Bull, as Express handlers return a job: `{ id, state, progress, returnvalue,
 * failedReason, attemptsMade }`. `waiting` means queued; `failedReason` is already set
 * while a retry waits (`delayed`), so only `state: 'failed'` is a failure; `progress` may
 * be a number or an object (`{ current, total, stage, percent }`).
 */
export const bullmq: Format = {
  order: 11,
  detect: (body) =>
    !!body && String(first(body, 'state', 'status')) in STATES && ('returnvalue' in body || 'failedReason' in body),
  read(body) {
    if (!body) return undefined
    const state = first(body, 'state', 'status')
    if (typeof state !== 'string') return undefined
    const progress = body.progress
    const object = progress && typeof progress === 'object'
    const retrying = state === 'delayed' && !!body.failedReason
    return {
      status: state === 'unknown' || state === 'stuck' ? 'failed' : (lookup(STATES, state) ?? state),
      keepPercent: retrying,
      percent: object ? path(progress, 'percent') : progress,
      processed: path(progress, 'current'),
      total: path(progress, 'total'),
      step: path(progress, 'stage'),
      message: retrying ? `Retrying after: ${body.failedReason}` : undefined,
      result: first(body, 'returnvalue', 'result'),
      error:
        state === 'failed'
          ? body.failedReason
          : state === 'unknown' || state === 'stuck'
            ? `The queue does not know the job (state "${state}")`
            : undefined,
      startedAt: body.processedOn,
      completedAt: body.finishedOn,
    }
  },
}
