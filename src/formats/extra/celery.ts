import { type Format, first, lookup, path } from '../types'

const STATES: Record<string, string> = {
  PENDING: 'pending',
  RECEIVED: 'pending',
  RETRY: 'retrying',
  STARTED: 'running',
  PROGRESS: 'running',
  SUCCESS: 'succeeded',
  FAILURE: 'failed',
  REJECTED: 'failed',
  REVOKED: 'cancelled',
  ABORTED: 'cancelled',
  IGNORED: 'cancelled',
}

/**
 * Celery as apps and Flower return it: Miguel Grinberg's pattern (`state` is the state,
 * `status` a message, `current`/`total` counts), Flower's `/api/task/result/<id>`
 * (`task-id`, `state`, `result`, `traceback`), and the raw result-backend meta
 * (`status`, `result: { current, total }`, `task_id`, `children`). An uppercase custom
 * state is a running stage; `RETRY` is not over.
 */
export const celery: Format = {
  order: 11.5,
  detect: (body) =>
    !!body &&
    ((typeof body.state === 'string' && /^[A-Z_]+$/.test(body.state)) || ('task_id' in body && 'children' in body)),
  read(body) {
    if (!body) return undefined
    const state = first(body, 'state', 'status')
    if (typeof state !== 'string') return undefined
    const meta = body?.result
    const failed = lookup(STATES, state) === 'failed'
    const counts = meta && typeof meta === 'object' && !failed ? meta : body
    return {
      status: lookup(STATES, state) ?? state.toLowerCase(),
      processed: path(counts, 'current'),
      total: path(counts, 'total'),
      percent: path(counts, 'percent'),
      // Grinberg's `status` is a message; so is a progress meta's `status` or `description`.
      message: body.state ? body.status : (path(meta, 'description') ?? path(meta, 'status')),
      result: lookup(STATES, state) === 'succeeded' ? (path(meta, 'result') ?? meta) : undefined,
      error: failed ? (path(meta, 'exc_message', '0') ?? path(meta, 'exc_type') ?? meta ?? body.status) : undefined,
      completedAt: body.date_done,
    }
  },
}
