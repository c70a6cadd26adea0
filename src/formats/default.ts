import { type Format, first } from './types'

const KEYS = ['total_items', 'processed_items', 'progress_percentage', 'current_message', 'task_type']

/**
 * The default format (the README's server contract): `{ status: 'in_progress', total_items, processed_items,
 * failed_items, progress_percentage, current_message, started_at, completed_at, duration }`.
 */
export const defaultFormat: Format = {
  order: 50,
  detect: (body) => !!body && typeof body.status === 'string' && KEYS.some((key) => key in body),
  read: (body) =>
    body && typeof body.status === 'string'
      ? {
          status: body.status,
          percent: body.progress_percentage,
          processed: body.processed_items,
          total: body.total_items,
          failed: body.failed_items,
          message: body.current_message,
          error: first(body, 'error', 'error_message'),
          result: body.result,
          step: body.step,
          steps: body.steps,
          startedAt: body.started_at,
          completedAt: body.completed_at,
          durationSeconds: body.duration,
        }
      : undefined,
}
