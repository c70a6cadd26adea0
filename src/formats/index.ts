import { invalidResponse } from '../errors'
import { normalize } from '../snapshot/normalize'
import type { JobSnapshot } from '../snapshot/types'
import { readDefault } from './default'

/**
 * Turns a parsed body into a snapshot, or throws an `InvalidResponseError` that says
 * what was received instead of a job status (the keys it saw, and the body).
 */
export function toSnapshot(body: unknown, response: Response, url: string, previous?: JobSnapshot): JobSnapshot {
  const object = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {}
  const fields = readDefault(object)
  if (fields) return normalize(fields, body, previous)
  const keys = Object.keys(object).slice(0, 12).join(', ')
  throw invalidResponse(
    `Expected a JSON object with a "status"${keys ? ` (keys: ${keys})` : ''}`,
    url,
    response.headers.get('content-type'),
    JSON.stringify(body) ?? '',
  )
}
