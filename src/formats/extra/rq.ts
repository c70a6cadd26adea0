import { type Format, failure, lookup, path } from '../types'

const STATUS: Record<string, string> = {
  created: 'pending',
  queued: 'pending',
  deferred: 'pending',
  scheduled: 'pending',
  rate_limited: 'pending',
  ready_to_enqueue: 'pending',
  started: 'running',
  finished: 'succeeded',
  failed: 'failed',
  canceled: 'cancelled',
  stopped: 'cancelled',
}

/**
 * RQ behind the testdriven.io Flask pattern: `{ status: 'success', data: { task_id,
 * task_status, task_result, exc_info, meta } }`. The top-level `status` is an envelope flag,
 * not the job's state; `{ "status": "error" }` means the job is unknown or expired (RQ keeps
 * results 500 s). A failure's reason is only in `exc_info`, a Python traceback whose last
 * line is the exception; progress is what the job put in `meta`.
 */
export const rq: Format = {
  order: 10,
  detect: (body) => typeof path(body, 'data', 'task_status') === 'string',
  read(body) {
    const word = path(body, 'data', 'task_status')
    if (typeof word !== 'string') {
      return body?.status === 'error'
        ? { status: 'failed', error: 'The server no longer knows the job (RQ keeps results 500 s by default)' }
        : undefined
    }
    const data = body?.data
    return {
      status: lookup(STATUS, word) ?? word,
      percent: path(data, 'progress') ?? path(data, 'meta', 'progress'),
      message: path(data, 'meta', 'message'),
      result: word === 'finished' ? path(data, 'task_result') : undefined,
      error: failure(path(data, 'exc_info') ?? path(data, 'exc_string') ?? path(data, 'error')),
    }
  },
}
