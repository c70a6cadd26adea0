import { isTerminal, mapStatus } from './status'
import type { Choice, JobSnapshot, SnapshotFields } from './types'

/** A finite number from a number or a numeric string (`"42"`), else `undefined`. */
export function toNumber(value: unknown): number | undefined {
  const n = typeof value === 'string' && value.trim() ? Number(value) : value
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined
}

/** A percent from a number, `"42"`, `"45%"`, `"46 %"` or a decimal comma (`"47,5"`). */
const toPercent = (value: unknown): number | undefined =>
  toNumber(typeof value === 'string' ? value.replace(/^\s*(-?\d+),(\d+)/, '$1.$2').replace(/\s*%\s*$/, '') : value)

const toText = (value: unknown): string | undefined =>
  typeof value === 'number' || (typeof value === 'string' && value) ? String(value) : undefined

function toDate(value: unknown): Date | undefined {
  const date = typeof value === 'string' || typeof value === 'number' ? new Date(value) : undefined
  return date && !Number.isNaN(date.getTime()) ? date : undefined
}

/** A duration worth showing: not negative, and under a century (`duration: 1e306` is not one). */
const toDuration = (ms: number | undefined): number | undefined =>
  ms !== undefined && ms >= 0 && ms < 3e12 ? ms : undefined

/** `"Disk full"`, `{ message, code, detail }` or `{ code }` → `{ message, code?, detail? }`. */
function toError(value: unknown, fallback: string | undefined): JobSnapshot['error'] {
  const { message = value, code, detail } = Object(value) as { message?: unknown; code?: unknown; detail?: unknown }
  const hasCode = typeof code === 'string' || typeof code === 'number'
  const text = toText(message) ?? fallback ?? (hasCode ? String(code) : undefined)
  if (text === undefined) return undefined
  const error: NonNullable<JobSnapshot['error']> = { message: text }
  if (hasCode) error.code = code
  if (typeof detail === 'string' && detail !== text) error.detail = detail
  return error
}

/**
 * A waiting job's answers: strings, or objects `{ id | value, label, kind }` (a label
 * defaults to the id). Items without an id and repeated ids are left out; 20 at most.
 */
function toChoices(value: unknown): Choice[] | undefined {
  if (!Array.isArray(value)) return undefined
  const choices: Choice[] = []
  for (const item of value) {
    const { id, value: other, label, kind } = Object(item) as Record<string, unknown>
    const key = toText(id ?? other ?? item)
    if (key === undefined || choices.some((choice) => choice.id === key) || choices.length === 20) continue
    const choice: Choice = { id: key, label: toText(label) ?? key }
    if (kind === 'primary' || kind === 'danger') choice.kind = kind
    choices.push(choice)
  }
  return choices.length ? choices : undefined
}

/** What reading earlier bodies of the job taught. */
export interface Context {
  /** The stage list of the `steps` option. */
  steps?: string[]
  /** How many times the job has already waited to retry, to number an attempt the server does not. */
  retries?: number
  /** The server's "now", as its `Date` header says, when its clock is not the browser's. */
  now?: number
}

/**
 * Applies the rules every format shares: status vocabulary, numbers sent as strings,
 * percent derived from counts and clamped, success from the status only (never from
 * percent), 100 on success, the last real percent and counts kept on failure, on a retry
 * and over placeholders, elapsed time and ETA.
 */
export function normalize(
  fields: SnapshotFields,
  raw: unknown,
  previous?: JobSnapshot,
  context: Context = {},
): JobSnapshot {
  const { now = Date.now() } = context
  const mapped = mapStatus(fields.status)
  const terminal = isTerminal(mapped.status)
  // A job waiting for its next attempt is still running, whatever word the backend uses.
  const retrying = !terminal && (mapped.retry || !!fields.attempt)
  const { status, step: word } = retrying ? { status: 'running' as const } : mapped
  // A retry's counts mean nothing until the job runs again; a placeholder's never do.
  const stale = retrying || fields.placeholder
  let processed = stale ? previous?.processed : toNumber(fields.processed)
  const total = stale ? previous?.total : toNumber(fields.total)
  if (status === 'succeeded' && fields.placeholder && total !== undefined) processed = total
  const step = toText(fields.step) ?? word
  const steps = Array.isArray(fields.steps) ? fields.steps.map(String) : context.steps
  // A stage-based job with no percent: the stages done so far.
  const stage = step === undefined ? -1 : (steps?.indexOf(step) ?? -1)
  let percent =
    toPercent(fields.percent) ??
    (processed !== undefined && total
      ? (processed / total) * 100
      : steps && stage >= 0
        ? (stage / steps.length) * 100
        : null)
  if (percent !== null) percent = Math.min(100, Math.max(0, percent))
  if (status === 'succeeded') percent = 100
  else if (stale) percent = previous ? previous.percent : null
  // A failure's own 0 or 100 is not how far the job got (several backends send 100 on failure):
  // its counts are, when they say it got part of the way; else the last percent.
  else if (terminal && (percent === null || percent === 0 || percent === 100)) {
    const counted = processed !== undefined && total ? (processed / total) * 100 : 0
    percent = counted > 0 && counted < 100 ? counted : (previous?.percent ?? percent)
  }

  const startedAt = toDate(fields.startedAt)
  const completedAt = toDate(fields.completedAt)
  const duration = toNumber(fields.durationSeconds)
  const elapsedMs = toDuration(
    duration !== undefined
      ? duration * 1000
      : startedAt && Math.max(0, (completedAt?.getTime() ?? now) - startedAt.getTime()),
  )
  const message = toText(fields.message)
  const error = toError(fields.error, status === 'failed' ? message : undefined)
  let attempt: JobSnapshot['attempt']
  if (retrying) {
    const { number, of, reason } = fields.attempt ?? {}
    attempt = { number: toNumber(number) ?? previous?.attempt?.number ?? (context.retries ?? 0) + 2 }
    const limit = toNumber(of)
    if (limit !== undefined && limit >= attempt.number) attempt.of = limit
    const why = toText(reason) ?? error?.message
    if (why !== undefined) attempt.reason = why
  }
  const waiting = status === 'waiting'
  const actions: JobSnapshot['actions'] = {}
  for (const name of ['respond', 'cancel', 'retry'] as const) {
    const url = toText(fields.actions?.[name])
    if (url) actions[name] = url
  }
  const snapshot = {
    status,
    terminal,
    percent,
    raw,
    processed,
    total,
    failed: toNumber(fields.failed),
    message,
    step,
    steps,
    result: fields.result,
    // Why a job failed; a running job's error is its retry's reason, if anything.
    error: terminal || status === 'waiting' ? error : undefined,
    attempt,
    id: toText(fields.id),
    prompt: waiting ? toText(fields.prompt) : undefined,
    choices: waiting ? toChoices(fields.choices) : undefined,
    actions: Object.keys(actions).length ? actions : undefined,
    startedAt,
    completedAt,
    elapsedMs,
    etaMs:
      !terminal && !retrying && elapsedMs && percent && percent < 100
        ? toDuration(Math.round((elapsedMs * (100 - percent)) / percent))
        : undefined,
  }
  // Absent rather than undefined, so that a snapshot shows only what the server said.
  for (const key in snapshot)
    if (snapshot[key as keyof typeof snapshot] === undefined) delete snapshot[key as keyof typeof snapshot]
  return snapshot
}
