import { fill, type Labels } from './labels'

const numbers = new Intl.NumberFormat('en')

/** `1,234,567`. Whole numbers, the usual case, skip Intl: a render formats several per widget. */
export const formatNumber = (n: number): string =>
  Number.isInteger(n) && Math.abs(n) < 1e15 ? String(n).replace(/\B(?=(\d{3})+$)/g, ',') : numbers.format(n)

/** `42 s`, `3 min 05 s`, `2 h 07 min`, with the unit words from the labels. */
export function formatDuration(ms: number, labels: Labels): string {
  const total = Math.max(0, Math.round(ms / 1000))
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  const pad = (n: number) => String(n).padStart(2, '0')
  if (h) return `${fill(labels.hours, { n: h })} ${fill(labels.minutes, { n: pad(m) })}`
  if (m) return `${fill(labels.minutes, { n: m })} ${fill(labels.seconds, { n: pad(s) })}`
  return fill(labels.seconds, { n: s })
}
