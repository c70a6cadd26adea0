import { type Format, first, path } from '../types'

/**
 * A Google long-running operation (`google.longrunning.Operation`): `{ name, metadata,
 * done, error | response }`. A missing `done` means false (proto3 JSON omits defaults);
 * `error.code` 1 is CANCELLED; progress is service-specific in `metadata`
 * (`progressPercent`, `progressPercentage`, `percentComplete`).
 */
export const googleLro: Format = {
  order: 2,
  detect: (body) =>
    !!body &&
    (typeof body.done === 'boolean' ||
      (/operations\//.test(String(body.name)) && ('metadata' in body || 'response' in body))),
  read(body) {
    if (!body) return undefined
    const { metadata, error, response } = body
    const code = path(error, 'code')
    const status = body.done !== true ? 'running' : error ? (code === 1 ? 'cancelled' : 'failed') : 'succeeded'
    let result: unknown = response
    if (response && typeof response === 'object') {
      const { '@type': _, ...rest } = response as Record<string, unknown>
      result = rest
    }
    return {
      status,
      percent: first(Object(metadata), 'progressPercent', 'progressPercentage', 'percentComplete'),
      message: path(metadata, 'statusMessage'),
      result: status === 'succeeded' ? result : undefined,
      error: status === 'succeeded' ? undefined : error,
      startedAt: path(metadata, 'startTime'),
      completedAt: status === 'running' ? undefined : path(metadata, 'endTime'),
    }
  },
}
