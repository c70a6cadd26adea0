import type { SnapshotFields } from '../snapshot/types'

/** A parsed JSON object body; `undefined` for a response with no body. */
export type Body = Record<string, unknown> | undefined

/**
 * What came with a body besides the body: the HTTP status, the headers and the URL it came
 * from. A polled response and a Server-Sent Event alike have one (an event's status is 200).
 */
export interface ResponseMeta {
  status: number
  headers: Headers
  url: string
}

/** One server format: how to recognise a first response, and how to read any response. */
export interface Format {
  /** Detection order: formats with a lower number are tried first (the most telling first, the generic shape last). */
  order: number
  /** Whether a first response looks like this format, for `format: 'auto'`. */
  detect(body: Body, meta: ResponseMeta): boolean
  /** The fields this response says, or `undefined` when it is not a status of this format. */
  read(body: Body, meta: ResponseMeta): SnapshotFields | undefined
}

/**
 * `table[key]` for a key that is the table's own: a server's word is never looked up on
 * `Object.prototype` (`"constructor"` is just an unknown word).
 */
export const lookup = <T>(table: Record<string, T>, key: unknown): T | undefined =>
  typeof key === 'string' && Object.hasOwn(table, key) ? table[key] : undefined

/** `a.b.c` of an object, or `undefined`. */
export const path = (value: unknown, ...keys: string[]): unknown =>
  keys.reduce<unknown>(
    (v, key) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined),
    value,
  )

/** The first of `keys` present (not `undefined` nor `null`) in `body`. */
export const first = (body: Record<string, unknown>, ...keys: string[]): unknown => {
  for (const key of keys) if (body[key] != null) return body[key]
  return undefined
}

/** Lower-case text of a string value, else `''`. */
export const lower = (value: unknown): string => (typeof value === 'string' ? value.toLowerCase() : '')

/** Unix seconds (`1714557601` or `"1714557601"`) as milliseconds, for dates. */
export const epochSeconds = (value: unknown): number | undefined => {
  const n = Number(value)
  return value != null && value !== '' && Number.isFinite(n) ? n * 1000 : undefined
}

/**
 * A failure's reason as a server stores it. A Python traceback (RQ's `exc_info`) becomes its
 * last line, the exception (`ValueError: Disk full on /data`), with the whole traceback as
 * `detail`; a reason with a stack trace beside it (BullMQ's `stacktrace`) keeps that as `detail`.
 */
export const failure = (reason: unknown, stack?: unknown): unknown => {
  if (typeof reason !== 'string') return reason
  const lines = reason.trim().split('\n')
  return /^Traceback/.test(reason)
    ? { message: (lines[lines.length - 1] as string).trim(), detail: reason }
    : { message: reason, detail: typeof stack === 'string' ? stack : undefined }
}
