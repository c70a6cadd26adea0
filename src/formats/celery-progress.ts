import { type Format, path } from './types'

/**
 * Django celery-progress (`/celery-progress/<task_id>/` and the group endpoint `/g/<id>/`):
 * `{ state, complete, success, progress: { pending, current, total, percent, description }, result }`.
 * Pitfalls, seen on a real worker: a task's counts are placeholders before it reports
 * (`pending: true`, `0/100`) and once it ended (`100/100`, failures included), so the real
 * ones stay; `RETRY` comes with `complete: true` yet is a retry (`result.message` says why);
 * `IGNORED` has `success: null`; an unknown custom state is complete and failed; the group
 * endpoint has no `state`, and its counts (tasks done of tasks) are real.
 */
export const celeryProgress: Format = {
  order: 1,
  detect: (body) => !!body && 'complete' in body && 'progress' in body,
  read(body) {
    if (!body || !('complete' in body)) return undefined
    const state = String(body.state ?? '').toUpperCase()
    const { complete, success, result, progress } = body
    const failed = complete && success !== true
    return {
      status:
        state === 'RETRY'
          ? 'retrying'
          : state === 'PENDING'
            ? 'pending'
            : !complete
              ? 'running'
              : state === 'REVOKED' || state === 'IGNORED'
                ? 'cancelled'
                : failed
                  ? 'failed'
                  : 'succeeded',
      placeholder: 'state' in body && (!!complete || path(progress, 'pending') === true),
      percent: path(progress, 'percent'),
      processed: path(progress, 'current'),
      total: path(progress, 'total'),
      message: path(progress, 'description'),
      attempt: state === 'RETRY' ? { reason: path(result, 'message') } : undefined,
      step: !complete && !/^(|PENDING|STARTED|PROGRESS)$/.test(state) ? state.toLowerCase() : undefined,
      result: failed ? undefined : result,
      error: failed ? result : undefined,
    }
  },
}
