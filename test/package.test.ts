// The built files, as users get them (`npm test` builds first).
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))

describe('the package', () => {
  it('has no runtime dependency', () => {
    expect(pkg.dependencies).toBeUndefined()
  })

  it('points every export, with types first, at a built file', () => {
    for (const [entry, target] of Object.entries(pkg.exports as Record<string, string | Record<string, string>>)) {
      const files = typeof target === 'string' ? [target] : Object.values(target)
      if (typeof target !== 'string') expect(Object.keys(target)[0], entry).toBe('types')
      for (const file of files) expect(() => readFileSync(new URL(`../${file}`, import.meta.url)), file).not.toThrow()
    }
    for (const field of ['main', 'types', 'unpkg', 'jsdelivr']) {
      expect(() => readFileSync(new URL(`../${pkg[field]}`, import.meta.url)), field).not.toThrow()
    }
  })

  it('has React and Vue as optional peers, used by their bindings only', () => {
    expect(pkg.peerDependenciesMeta).toEqual({ react: { optional: true }, vue: { optional: true } })
    const imports = (file: string) =>
      [...readFileSync(new URL(`../dist/${file}`, import.meta.url), 'utf8').matchAll(/from "([^"]+)"/g)].map(
        (m) => m[1],
      )
    expect(imports('progress-polling.js').filter((from) => !from?.startsWith('./chunks/'))).toEqual([])
    expect(imports('react.js').sort()).toEqual(['progress-polling', 'react'])
    expect(imports('vue.js').sort()).toEqual(['progress-polling', 'vue'])
  })

  it('keeps the CSS and the registering files as side effects', () => {
    expect(pkg.sideEffects).toEqual(expect.arrayContaining(['*.css', './dist/formats.js']))
  })

  it('registers the extra formats from progress-polling/formats into the main module', async () => {
    const main = await import('../dist/progress-polling.js')
    expect(() => main.pollJob('/j/', { format: 'bullmq', fetch: async () => Response.json({}) })).toThrow(
      'must be a known format',
    )
    await import('../dist/formats.js')
    const job = main.pollJob('/j/', {
      format: 'bullmq',
      fetch: async () => Response.json({ id: '1', state: 'completed', returnvalue: 5 }),
    })
    await expect(job.done).resolves.toMatchObject({ status: 'succeeded', result: 5, format: 'bullmq' })
  })
})
