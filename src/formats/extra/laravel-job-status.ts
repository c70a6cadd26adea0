import { type Format, lookup, path } from '../types'

const STATUS: Record<string, string> = {
  queued: 'pending',
  executing: 'running',
  finished: 'succeeded',
  failed: 'failed',
}

/**
 * imTigger/laravel-job-status (`JobStatus::find($id)`): `{ status, progress_now,
 * progress_max, output, started_at, finished_at }`. The percentage accessors are not in
 * the JSON; a failure's message is in `output.message` only with the legacy event manager.
 */
export const laravelJobStatus: Format = {
  order: 9,
  detect: (body) => !!body && ('progress_now' in body || 'progress_max' in body),
  read(body) {
    if (typeof body?.status !== 'string') return undefined
    const failed = body.status === 'failed'
    return {
      status: lookup(STATUS, body.status) ?? body.status,
      processed: body.progress_now,
      total: body.progress_max,
      result: failed ? undefined : (body.output ?? undefined),
      error: failed ? path(body.output, 'message') : undefined,
      startedAt: body.started_at,
      completedAt: body.finished_at,
    }
  },
}
