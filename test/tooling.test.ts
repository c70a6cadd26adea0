// Type checking (the sources, the tests and the type tests in test/*.test-d.ts), the
// linter and the formatter check, as tests of the suite.
import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'

function run(command: string, args: string[]): string {
  try {
    const output = execFileSync(command, args, { encoding: 'utf8', stdio: 'pipe' })
    // publint prints its findings but exits 0 on warnings; --strict makes them errors.
    return /Errors?:|Warnings?:/.test(output) ? output : ''
  } catch (error) {
    const { stdout, stderr } = error as { stdout: string; stderr: string }
    return `${stdout}${stderr}`.trim() || String(error)
  }
}

describe('tooling', () => {
  // Both pack the package as npm would publish it (run after the build).
  it('passes publint on the packed package', () => {
    expect(run(process.execPath, ['node_modules/publint/src/cli.js', '--strict'])).toBe('')
  }, 60_000)

  it('passes @arethetypeswrong/cli on the packed package (ESM only, every entry typed)', () => {
    const attw = 'node_modules/@arethetypeswrong/cli/dist/index.js'
    expect(
      run(process.execPath, [attw, '--pack', '.', '--profile', 'esm-only', '--exclude-entrypoints', './style.css']),
    ).toBe('')
  }, 60_000)

  it('type-checks with no error (tsc, strict)', () => {
    expect(run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'])).toBe('')
  }, 60_000)

  it('passes the linter and the formatter check (biome)', () => {
    expect(run(process.execPath, ['node_modules/@biomejs/biome/bin/biome', 'check', '--reporter=summary', '.'])).toBe(
      '',
    )
  }, 60_000)
})
