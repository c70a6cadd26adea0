import { type Format, lookup, lower } from '../types'

const STATUS: Record<string, string> = {
  accepted: 'pending',
  running: 'running',
  successful: 'succeeded',
  failed: 'failed',
  dismissed: 'cancelled',
}

/**
 * OGC API – Processes `statusInfo`: `{ jobID, processID, status: 'accepted' | 'running' |
 * 'successful' | 'failed' | 'dismissed', message, progress, created, started, finished }`.
 * `progress` may be 100 on failure; the message is the step text or the failure.
 */
export const ogc: Format = {
  order: 7,
  detect: (body) => !!body && ('jobID' in body || 'processID' in body || body.status === 'successful'),
  read(body) {
    if (typeof body?.status !== 'string') return undefined
    const status = lookup(STATUS, lower(body.status)) ?? body.status
    return {
      status,
      percent: body.progress,
      message: body.message,
      error: status === 'failed' ? body.message : undefined,
      startedAt: body.started,
      completedAt: body.finished,
    }
  },
}
