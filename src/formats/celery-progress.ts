import { type Format, path } from './types'

/**
 * Django celery-progress (`/celery-progress/<task_id>/` and the group endpoint `/g/<id>/`):
 * `{ state, complete, success, progress: { current, total, percent, description }, result }`.
 * Pitfalls: `RETRY` comes with `complete: true` yet is not over; every terminal state
 * reports 100 %, failures included; `IGNORED` has `success: null`; an unknown custom state
 * is complete and failed; the group endpoint has no `state`.
 */
export const celeryProgress: Format = {
  order: 1,
  detect: (body) => !!body && 'complete' in body && 'progress' in body,
  read(body) {
    if (!body || !('complete' in body)) return undefined
    const state = String(body.state ?? '').toUpperCase()
    const { complete, success, result } = body
    const progress = body.progress
    const counts = {
      percent: path(progress, 'percent'),
      processed: path(progress, 'current'),
      total: path(progress, 'total'),
      message: path(progress, 'description'),
    }
    if (state === 'RETRY') {
      return { status: 'pending', keepPercent: true, message: `Retrying: ${path(result, 'message') ?? ''}`.trim() }
    }
    const status =
      state === 'PENDING'
        ? 'pending'
        : !complete
          ? 'running'
          : state === 'REVOKED' || state === 'IGNORED'
            ? 'cancelled'
            : success === true
              ? 'succeeded'
              : 'failed'
    return {
      ...counts,
      status,
      step: !complete && !/^(|PENDING|STARTED|PROGRESS)$/.test(state) ? state.toLowerCase() : undefined,
      result: success === true ? result : undefined,
      error: status === 'failed' || status === 'cancelled' ? result : undefined,
    }
  },
}
