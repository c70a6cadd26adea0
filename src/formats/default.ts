import { readFlat } from './generic'
import type { Format } from './types'

const KEYS = ['total_items', 'processed_items', 'progress_percentage', 'current_message', 'task_type']

/**
 * The default format (the README's server contract): `{ status: 'in_progress', total_items, processed_items,
 * failed_items, progress_percentage, current_message, started_at, completed_at, duration }`.
 * Read like the generic shape, so that a job whose first body had these keys and later ones
 * `message` or `progress` loses nothing.
 */
export const defaultFormat: Format = {
  order: 50,
  detect: (body) => !!body && typeof body.status === 'string' && KEYS.some((key) => key in body),
  read: readFlat,
}
