import { invalidResponse } from '../errors'
import { normalize } from '../snapshot/normalize'
import type { JobSnapshot, SnapshotFields } from '../snapshot/types'
import { celeryProgress } from './celery-progress'
import { defaultFormat } from './default'
import { generic } from './generic'
import { httpStatus } from './http-status'
import { formats, registerFormat } from './registry'
import { sidekiqStatus } from './sidekiq-status'
import type { Body, Format } from './types'

export type { Format }

export { registerFormat }

for (const [name, format] of Object.entries({
  default: defaultFormat,
  generic,
  'celery-progress': celeryProgress,
  'sidekiq-status': sidekiqStatus,
  'http-status': httpStatus,
})) {
  registerFormat(name, format)
}

/** The names of the known formats. */
export const formatNames = (): string[] => [...formats.keys()]

/** How one run reads its responses: the option, the format chosen on the first body, the `parse` hook. */
export interface Reading {
  format: string
  chosen?: string
  parse?: (body: unknown, response: Response) => Partial<SnapshotFields> | undefined
  steps?: string[]
}

/** The format whose `detect` accepts this first response, by order. */
function detect(body: Body, response: Response): string | undefined {
  let best: [string, Format] | undefined
  for (const entry of formats) {
    if ((!best || entry[1].order < best[1].order) && entry[1].detect(body, response)) best = entry
  }
  return best?.[0]
}

/**
 * Turns a response into a snapshot: with the format forced by the option, or the one
 * detected on the first body and kept for the run; then `parse`, merged over it. Throws
 * an `InvalidResponseError` that says what was received when nothing can read it.
 */
export function toSnapshot(
  body: unknown,
  response: Response,
  url: string,
  reading: Reading,
  previous?: JobSnapshot,
): JobSnapshot {
  const object =
    body === undefined
      ? undefined
      : body && typeof body === 'object' && !Array.isArray(body)
        ? (body as Record<string, unknown>)
        : {}
  reading.chosen ??= reading.format === 'auto' ? detect(object, response) : reading.format
  const { chosen, parse } = reading
  let fields = chosen === undefined ? undefined : (formats.get(chosen) as Format).read(object, response)
  if (parse) {
    let own: Partial<SnapshotFields> | undefined
    try {
      own = parse(body, response)
    } catch (error) {
      const reason = `The \`parse\` option threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`
      throw invalidResponse(reason, url, response.headers.get('content-type'), JSON.stringify(body) ?? '')
    }
    fields = { ...fields, ...own } as SnapshotFields
  }
  if (fields?.status != null) return { ...normalize(fields, body, previous, reading.steps), format: chosen ?? 'parse' }
  const keys = Object.keys(object ?? {})
    .slice(0, 12)
    .join(', ')
  throw invalidResponse(
    body === undefined
      ? `Empty response (HTTP ${response.status})`
      : `Expected a JSON object with a "status"${keys ? ` (keys: ${keys})` : ''}`,
    url,
    response.headers.get('content-type'),
    body === undefined ? '' : (JSON.stringify(body) ?? ''),
  )
}
