import { invalidResponse } from '../errors'
import { normalize } from '../snapshot/normalize'
import type { JobSnapshot } from '../snapshot/types'
import { readDefault } from './default'

const describe = (body: unknown): string => (body === null ? 'null' : Array.isArray(body) ? 'an array' : typeof body)

/**
 * Turns a parsed body into a snapshot, or throws an `InvalidResponseError` that says
 * what was received instead of a job status.
 */
export function toSnapshot(body: unknown, response: Response, url: string, previous?: JobSnapshot): JobSnapshot {
  const type = response.headers.get('content-type') ?? ''
  const shown = JSON.stringify(body) ?? ''
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw invalidResponse(`Expected a JSON object with a status, got ${describe(body)}`, url, type, shown)
  }
  const fields = readDefault(body as Record<string, unknown>)
  if (!fields) {
    const keys = Object.keys(body)
    const problem = keys.length ? `keys: ${keys.slice(0, 12).join(', ')}` : 'an empty object'
    throw invalidResponse(`No "status" in the response (${problem})`, url, type, shown)
  }
  return normalize(fields, body, previous)
}
