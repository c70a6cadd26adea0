import { epochSeconds, type Format, lookup } from './types'

const STATUS: Record<string, string> = {
  queued: 'pending',
  working: 'running',
  complete: 'succeeded',
  failed: 'failed',
  interrupted: 'failed',
  stopped: 'cancelled',
}

/**
 * sidekiq-status (`render json: Sidekiq::Status.get_all(jid)`): every value is a string
 * (`"pct_complete": "42"`), dates are Unix seconds, no error message is stored, the body is
 * `{}` once the status expired (30 minutes by default), and `retrying` (Sidekiq's default
 * retries after a failure) is a running job waiting for its next attempt.
 */
export const sidekiqStatus: Format = {
  order: 4,
  detect: (body) => !!body && ('pct_complete' in body || 'jid' in body),
  read(body) {
    if (!body) return undefined
    if (!('status' in body)) {
      // An expired status: the job is gone from Redis, whatever became of it.
      return { status: 'failed', error: 'The job’s status expired on the server (sidekiq-status keeps it 30 minutes)' }
    }
    const word = String(body.status)
    const status = lookup(STATUS, word) ?? word
    return {
      status,
      percent: body.pct_complete,
      processed: body.at,
      total: body.total,
      message: body.message,
      error:
        word === 'interrupted'
          ? 'The worker was shut down (interrupted)'
          : word === 'failed'
            ? 'The job failed (sidekiq-status stores no error message)'
            : undefined,
      startedAt: epochSeconds(body.started_at),
      completedAt: epochSeconds(body.ended_at),
    }
  },
}
