import { invalidResponse } from '../errors'
import { normalize } from '../snapshot/normalize'
import type { JobSnapshot, SnapshotFields } from '../snapshot/types'
import { celeryProgress } from './celery-progress'
import { defaultFormat } from './default'
import { generic } from './generic'
import { httpStatus } from './http-status'
import { formats, registerFormat } from './registry'
import { sidekiqStatus } from './sidekiq-status'
import type { Body, Format, ResponseMeta } from './types'

export type { Format, ResponseMeta }

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

/** How a job reads its bodies: the option, and the format detected for the URL they come from. */
export interface Reading {
  format: string
  parse?: (body: unknown, meta: ResponseMeta) => Partial<SnapshotFields> | undefined
  steps?: string[]
  /** The format detected on the first body from `url`. */
  chosen?: string
  url?: string
  /** How many times the job has waited to retry so far. */
  retries?: number
}

/** Beyond this gap between the server's `Date` and the browser's clock, the server's clock times the job. */
const SKEW = 2000

/** The format whose `detect` accepts this first body, by order. */
function detect(body: Body, meta: ResponseMeta): string | undefined {
  let best: [string, Format] | undefined
  for (const entry of formats) {
    if ((!best || entry[1].order < best[1].order) && entry[1].detect(body, meta)) best = entry
  }
  return best?.[0]
}

/**
 * Turns a body into a snapshot: with the format forced by the option, or the one detected
 * on the first body from its URL (detected again when a 202 sent polling elsewhere); then
 * `parse`, merged over it. Returns the reading to keep for the next body. Throws an
 * `InvalidResponseError` that says what was received when nothing can read it.
 */
export function toSnapshot(
  body: unknown,
  meta: ResponseMeta,
  reading: Reading,
  previous?: JobSnapshot,
): { snapshot: JobSnapshot; reading: Reading } {
  const object =
    body === undefined
      ? undefined
      : body && typeof body === 'object' && !Array.isArray(body)
        ? (body as Record<string, unknown>)
        : {}
  if (reading.url !== meta.url || reading.chosen === undefined) {
    reading = {
      ...reading,
      url: meta.url,
      chosen: reading.format === 'auto' ? detect(object, meta) : reading.format,
    }
  }
  const { chosen, parse } = reading
  let fields = chosen === undefined ? undefined : formats.get(chosen)?.read(object, meta)
  const received = (problem: string) => {
    let text: string | undefined
    try {
      text = JSON.stringify(body)
    } catch {
      // Too deep to write back: the problem is said without the body.
    }
    return invalidResponse(problem, meta.url, meta.headers.get('content-type'), text ?? '')
  }
  if (parse) {
    let own: Partial<SnapshotFields> | undefined
    try {
      own = parse(body, meta)
    } catch (error) {
      throw received(
        `The \`parse\` option threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
      )
    }
    fields = { ...fields, ...own } as SnapshotFields
  }
  if (fields?.status != null) {
    // Elapsed time is the server's clock minus the server's start time: a browser whose clock
    // is minutes off must not show "0 s" or "10 min" for a job 20 s in. `Date` has whole seconds.
    const date = Date.parse(meta.headers.get('date') ?? '')
    const now = Math.abs(date - Date.now()) > SKEW ? date : undefined
    const { retries = 0 } = reading
    const snapshot = normalize(fields, body, previous, { steps: reading.steps, retries, now })
    if (snapshot.attempt && !previous?.attempt) reading = { ...reading, retries: retries + 1 }
    return { snapshot: { ...snapshot, format: chosen ?? 'parse' }, reading }
  }
  const keys = Object.keys(object ?? {})
    .slice(0, 12)
    .join(', ')
  const like =
    !formats.has('bullmq') && object && (Object.keys(EXTRA) as (keyof typeof EXTRA)[]).find((key) => key in object)
  throw received(
    body === undefined
      ? `Empty response (HTTP ${meta.status})`
      : `Expected a JSON object with a "status"${keys ? ` (keys: ${keys})` : ''}${
          like
            ? `. It looks like ${EXTRA[like]}, read by the extra formats: import 'progress-polling/formats', or add the script dist/progress-polling.formats.global.min.js`
            : ''
        }`,
  )
}

// Telling keys of the bodies that only the extra formats (`progress-polling/formats`) read.
const EXTRA = {
  state: 'a BullMQ or Celery job',
  done: 'a Google long-running operation',
  pendingJobs: 'a Laravel job batch',
}
