import { type Format, path } from '../types'

const KEYS = new Set(['status', 'progress', 'total', 'exception'])

/**
 * activejob-status (`ActiveJob::Status.get(id).to_json`): `{ status, progress, total,
 * exception: { class, message } }`, where `progress` is a count out of `total`, not a
 * percent. Detected when the body has only those keys.
 */
export const activejobStatus: Format = {
  order: 60,
  detect: (body) =>
    !!body &&
    ['queued', 'working', 'completed', 'failed'].includes(String(body.status)) &&
    ('exception' in body || ('progress' in body && 'total' in body)) &&
    Object.keys(body).every((key) => KEYS.has(key)),
  read: (body) =>
    typeof body?.status === 'string'
      ? { status: body.status, processed: body.progress, total: body.total, error: path(body.exception, 'message') }
      : undefined,
}
