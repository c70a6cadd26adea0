import { type Format, first } from './types'

/**
 * The generic shape: `{ status, progress, processed, total, failed, message, step, steps,
 * result, error }`, the fallback for any body with a `status` that no other format claims.
 */
export const generic: Format = {
  order: 100,
  detect: (body) => typeof body?.status === 'string' || typeof body?.status === 'number',
  read: (body) =>
    body && (typeof body.status === 'string' || typeof body.status === 'number')
      ? {
          status: String(body.status),
          percent: typeof body.progress === 'object' ? undefined : first(body, 'progress', 'percent'),
          processed: body.processed,
          total: body.total,
          failed: body.failed,
          message: body.message,
          step: body.step,
          steps: body.steps,
          result: body.result,
          error: body.error,
          startedAt: first(body, 'started_at', 'startedAt'),
          completedAt: first(body, 'completed_at', 'completedAt'),
        }
      : undefined,
}
