import { type Format, lookup } from '../types'

const CONCLUSIONS: Record<string, string> = {
  success: 'succeeded',
  neutral: 'succeeded',
  skipped: 'succeeded',
  cancelled: 'cancelled',
  action_required: 'waiting',
}
const STATUSES: Record<string, string> = {
  queued: 'pending',
  requested: 'pending',
  pending: 'pending',
  in_progress: 'running',
  waiting: 'waiting',
}

/**
 * A GitHub Actions workflow run: `status` (`queued`, `in_progress`, `completed`, and
 * `waiting` for an approval) plus `conclusion` once completed (`success`, `failure`,
 * `cancelled`, `timed_out`, `action_required`, …). There is no percent.
 */
export const githubActions: Format = {
  order: 6,
  detect: (body) => !!body && 'conclusion' in body && String(body.status) in { ...STATUSES, completed: 1 },
  read(body) {
    if (typeof body?.status !== 'string') return undefined
    const conclusion = String(body.conclusion)
    const status =
      body.status === 'completed'
        ? (lookup(CONCLUSIONS, conclusion) ?? 'failed')
        : (lookup(STATUSES, body.status) ?? body.status)
    return {
      status,
      message:
        typeof body.name === 'string' ? `${body.name}${body.run_number ? ` #${body.run_number}` : ''}` : undefined,
      result: status === 'succeeded' ? body.html_url : undefined,
      error: status === 'failed' ? `The run ended with "${conclusion}"` : undefined,
      startedAt: body.run_started_at,
      completedAt: body.status === 'completed' ? body.updated_at : undefined,
    }
  },
}
