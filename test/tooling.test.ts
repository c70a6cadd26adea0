// Type checking (the sources, the tests and the type tests in test/*.test-d.ts), the
// linter and the formatter check, as tests of the suite.
import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'

function run(command: string, args: string[]): string {
  try {
    execFileSync(command, args, { encoding: 'utf8', stdio: 'pipe' })
    return ''
  } catch (error) {
    const { stdout, stderr } = error as { stdout: string; stderr: string }
    return `${stdout}${stderr}`.trim() || String(error)
  }
}

describe('tooling', () => {
  it('type-checks with no error (tsc, strict)', () => {
    expect(run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'])).toBe('')
  }, 60_000)

  it('passes the linter and the formatter check (biome)', () => {
    expect(run(process.execPath, ['node_modules/@biomejs/biome/bin/biome', 'check', '--reporter=summary', '.'])).toBe(
      '',
    )
  }, 60_000)
})
