import { describe, expect, it } from 'vitest'
import { BUDGETS, CEILINGS, measure } from '../scripts/size.mjs'

describe('size (min+gz)', () => {
  it('keeps the stylesheet within its budget', async () => {
    expect((await measure()).css.gzip).toBeLessThanOrEqual(BUDGETS.css)
  })

  it('lets the script-tag file and the headless core grow no further than their ceilings', async () => {
    const { iife, core } = await measure()
    expect(iife.gzip).toBeLessThanOrEqual(CEILINGS.iife)
    expect(core.gzip).toBeLessThanOrEqual(CEILINGS.core)
  })
})
