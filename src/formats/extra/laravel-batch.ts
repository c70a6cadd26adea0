import { toNumber } from '../../snapshot/normalize'
import type { Format } from '../types'

/**
 * A Laravel job batch (`Bus::findBatch($id)` returned from a route): `{ totalJobs,
 * pendingJobs, processedJobs, progress, failedJobs, cancelledAt, finishedAt }`. The state
 * is derived: with `allowFailures()` a batch is over when `pendingJobs == failedJobs`
 * although `finishedAt` stays null; `progress` counts successes only.
 */
export const laravelBatch: Format = {
  order: 3,
  detect: (body) => !!body && 'totalJobs' in body && 'pendingJobs' in body,
  read(body) {
    if (!body || !('totalJobs' in body)) return undefined
    const [total, pending, processed, failed] = ['totalJobs', 'pendingJobs', 'processedJobs', 'failedJobs'].map(
      (key) => toNumber(body[key]) ?? 0,
    ) as [number, number, number, number]
    const cancelled = body.cancelledAt != null
    const status =
      failed > 0 && (cancelled || pending === failed)
        ? 'failed'
        : cancelled
          ? 'cancelled'
          : body.finishedAt != null || (total > 0 && pending === 0)
            ? 'succeeded'
            : processed + failed === 0
              ? 'pending'
              : 'running'
    return {
      status,
      percent: body.progress,
      processed,
      total,
      failed,
      message: body.name,
      error: status === 'failed' ? `${failed} of ${total} jobs failed` : undefined,
      startedAt: body.createdAt,
      completedAt: body.finishedAt ?? (status === 'failed' ? body.cancelledAt : undefined),
    }
  },
}
