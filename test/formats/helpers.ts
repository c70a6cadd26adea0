import { type Reading, toSnapshot } from '../../src/formats/index'
import type { JobSnapshot, JobStatus } from '../../src/snapshot/types'

/** 2024-05-01T10:00:30Z: "now" for every fixture, so that elapsed times are fixed. */
export const NOW = Date.parse('2024-05-01T10:00:30Z')

export interface Options {
  format?: string
  previous?: JobSnapshot
  status?: number
  headers?: Record<string, string>
  reading?: Reading
}

/** Reads one body as a first response (or as the next one of `reading`), without `raw`. */
export function read(body: unknown, options: Options = {}): Omit<JobSnapshot, 'raw'> {
  const response = new Response(null, { status: options.status ?? 200, headers: options.headers })
  const reading = options.reading ?? { format: options.format ?? 'auto' }
  const { raw, ...rest } = toSnapshot(body, response, '/status', reading, options.previous)
  if (raw !== body) throw new Error('raw must be the body as received')
  return rest
}

const TERMINAL = ['succeeded', 'failed', 'cancelled']

/** An expected snapshot: `terminal` follows from the status. */
export const snap = (
  status: JobStatus,
  percent: number | null,
  format: string,
  rest: Partial<JobSnapshot> = {},
): Omit<JobSnapshot, 'raw'> => ({ status, terminal: TERMINAL.includes(status), percent, format, ...rest })

/** A previous snapshot at `percent`, for the rules that keep the last percent. */
export const at = (percent: number): JobSnapshot => ({ status: 'running', terminal: false, percent, raw: {} })
