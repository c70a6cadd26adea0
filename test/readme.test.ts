import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { measure } from '../scripts/size.mjs'
import { defaults } from '../src/view/options'

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')

/** `### \`name\`` followed by `Type: … · Default: …`, between the options markers. */
function documentedOptions(): Map<string, string> {
  const section = readme.split('<!-- options -->')[1]?.split('<!-- /options -->')[0] ?? ''
  const entries = new Map<string, string>()
  for (const match of section.matchAll(/^### `(\w+)`\n\nType: .+ · Default: (.+)$/gm)) {
    entries.set(match[1] as string, match[2] as string)
  }
  return entries
}

const written = (value: unknown): string =>
  value === undefined
    ? 'none'
    : value === Number.POSITIVE_INFINITY
      ? '`Infinity`'
      : typeof value === 'string'
        ? `\`'${value}'\``
        : `\`${JSON.stringify(value)}\``

describe('README', () => {
  it('documents every option, and no option that does not exist', () => {
    expect([...documentedOptions().keys()].sort()).toEqual(Object.keys(defaults).sort())
  })

  it.each(Object.entries(defaults))('gives the real default of %s', (key, value) => {
    expect(documentedOptions().get(key)?.startsWith(written(value))).toBe(true)
  })

  it('quotes the measured sizes (min+gz, to 0.1 KB)', async () => {
    const sizes = await measure()
    const quoted = (name: string) => readme.match(new RegExp(`<!-- size:${name} -->([\\d.]+) KB`))?.[1]
    const kb = (bytes: number) => (bytes / 1024).toFixed(1)
    for (const key of [
      'iife',
      'core',
      'widget',
      'css',
      'extras',
      'react',
      'vue',
      'streams',
      'actions',
      'tray',
    ] as const) {
      expect(quoted(key), key).toBe(kb(sizes[key].gzip))
    }
  })

  it('gives the commands a new user runs', () => {
    for (const command of ['npm install', 'npm run demo', 'npm test']) expect(readme).toContain(command)
  })
})
