import type { Format } from './types'

// One registry per page, whichever bundle (the npm module, the script tag, the formats file)
// registers into it or reads it.
const KEY = Symbol.for('progress-polling.formats')
const holder = globalThis as { [KEY]?: Map<string, Format> }

/** The known formats, by name. */
holder[KEY] ??= new Map()
export const formats: Map<string, Format> = holder[KEY]

/**
 * Makes a format known by name, for the `format` option and for `format: 'auto'`
 * (detection tries formats by their `order`).
 */
export function registerFormat(name: string, format: Format): void {
  formats.set(name, format)
}
