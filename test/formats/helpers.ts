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
  const meta = { status: options.status ?? 200, headers: new Headers(options.headers), url: '/status' }
  const reading = options.reading ?? { format: options.format ?? 'auto' }
  const read = toSnapshot(body, meta, reading, options.previous)
  // The next body of the same job is read as this one was.
  if (options.reading) Object.assign(options.reading, read.reading)
  const { raw, ...rest } = read.snapshot
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
