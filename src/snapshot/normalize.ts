import { isTerminal, mapStatus } from './status'
import type { JobSnapshot, SnapshotFields } from './types'

/** A finite number from a number or a numeric string (`"42"`), else `undefined`. */
export function toNumber(value: unknown): number | undefined {
  const n = typeof value === 'string' && value.trim() ? Number(value) : value
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined
}

const toText = (value: unknown): string | undefined =>
  typeof value === 'number' || (typeof value === 'string' && value) ? String(value) : undefined

function toDate(value: unknown): Date | undefined {
  const date = typeof value === 'string' || typeof value === 'number' ? new Date(value) : undefined
  return date && !Number.isNaN(date.getTime()) ? date : undefined
}

/** `"Disk full"`, `{ message, code }` or `{ code }` → `{ message, code? }`. */
function toError(value: unknown, fallback: string | undefined): JobSnapshot['error'] {
  const { message = value, code } = Object(value) as { message?: unknown; code?: unknown }
  const hasCode = typeof code === 'string' || typeof code === 'number'
  const text = toText(message) ?? fallback ?? (hasCode ? String(code) : undefined)
  return text === undefined ? undefined : hasCode ? { message: text, code } : { message: text }
}

/**
 * Applies the rules every format shares: status vocabulary, numbers sent as strings,
 * percent derived from counts and clamped, success from the status only (never from
 * percent), 100 on success, the last percent kept on failure, elapsed time and ETA.
 */
export function normalize(
  fields: SnapshotFields,
  raw: unknown,
  previous?: JobSnapshot,
  stepsOption?: string[],
  now = Date.now(),
): JobSnapshot {
  const { status, step: word } = mapStatus(fields.status)
  const terminal = isTerminal(status)
  const processed = toNumber(fields.processed)
  const total = toNumber(fields.total)
  const step = toText(fields.step) ?? word
  const steps = Array.isArray(fields.steps) ? fields.steps.map(String) : stepsOption
  // A stage-based job with no percent: the stages done so far.
  const stage = step === undefined ? -1 : (steps?.indexOf(step) ?? -1)
  let percent =
    toNumber(fields.percent) ??
    (processed !== undefined && total
      ? (processed / total) * 100
      : steps && stage >= 0
        ? (stage / steps.length) * 100
        : null)
  if (percent !== null) percent = Math.min(100, Math.max(0, percent))
  if (status === 'succeeded') percent = 100
  else if ((terminal || fields.keepPercent) && previous) percent = previous.percent
  else if (fields.keepPercent) percent = null

  const startedAt = toDate(fields.startedAt)
  const completedAt = toDate(fields.completedAt)
  const duration = toNumber(fields.durationSeconds)
  const elapsedMs =
    duration !== undefined
      ? duration * 1000
      : startedAt && Math.max(0, (completedAt?.getTime() ?? now) - startedAt.getTime())
  const message = toText(fields.message)
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
    error: toError(fields.error, status === 'failed' ? message : undefined),
    startedAt,
    completedAt,
    elapsedMs,
    etaMs:
      !terminal && elapsedMs !== undefined && percent && percent < 100
        ? Math.round((elapsedMs * (100 - percent)) / percent)
        : undefined,
  }
  // Absent rather than undefined, so that a snapshot shows only what the server said.
  for (const key in snapshot)
    if (snapshot[key as keyof typeof snapshot] === undefined) delete snapshot[key as keyof typeof snapshot]
  return snapshot
}
