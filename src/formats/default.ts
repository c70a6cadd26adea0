import type { SnapshotFields } from '../snapshot/types'

type Body = Record<string, unknown>

const first = (body: Body, ...keys: string[]): unknown => {
  for (const key of keys) if (body[key] !== undefined && body[key] !== null) return body[key]
  return undefined
}

/**
 * The default format (`{ status: 'in_progress', total_items, processed_items,
 * progress_percentage, current_message, started_at, duration, … }`) and the generic
 * shape (`{ status, progress, processed, total, message, step, result, error }`).
 * Both name the state `status`; the rest is read from whichever key is present.
 * Returns `undefined` when the body has no status to read.
 */
export function readDefault(body: Body): SnapshotFields | undefined {
  const { status } = body
  if (typeof status !== 'string' && typeof status !== 'number') return undefined
  const progress = first(body, 'progress_percentage', 'progress')
  return {
    status: String(status),
    percent: typeof progress === 'object' ? undefined : progress,
    processed: first(body, 'processed_items', 'processed'),
    total: first(body, 'total_items', 'total'),
    failed: first(body, 'failed_items', 'failed'),
    message: first(body, 'current_message', 'message'),
    step: body.step,
    result: body.result,
    error: body.error,
    startedAt: body.started_at,
    completedAt: body.completed_at,
    durationSeconds: body.duration,
  }
}
