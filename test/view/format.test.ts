import { describe, expect, it } from 'vitest'
import { formatDuration, formatNumber } from '../../src/view/format'
import { fill, labels } from '../../src/view/labels'

describe('formatting', () => {
  it('writes durations in seconds, minutes or hours', () => {
    expect(formatDuration(0, labels)).toBe('0 s')
    expect(formatDuration(42_400, labels)).toBe('42 s')
    expect(formatDuration(185_000, labels)).toBe('3 min 05 s')
    expect(formatDuration(7_620_000, labels)).toBe('2 h 07 min')
    expect(formatDuration(-5, labels)).toBe('0 s')
  })

  it('groups thousands', () => {
    expect(formatNumber(1234567)).toBe('1,234,567')
    expect(formatNumber(-1234)).toBe('-1,234')
    expect(formatNumber(999)).toBe('999')
    expect(formatNumber(1234.5)).toBe('1,234.5')
    expect(formatNumber(1e21)).toBe('1,000,000,000,000,000,000,000')
  })

  it('fills placeholders and leaves unknown ones as written', () => {
    expect(fill('{a} of {b} {c}', { a: 1, b: 'two' })).toBe('1 of two {c}')
  })
})
