import { describe, expect, it } from 'vitest'
import { BUDGETS, CEILINGS, measure } from '../scripts/size.mjs'

describe('size (min+gz)', () => {
  it('keeps the stylesheet within its budget', async () => {
    expect((await measure()).css.gzip).toBeLessThanOrEqual(BUDGETS.css)
  })

  it('lets pollJob alone, ProgressPolling alone and the script tag, which are over their budgets, grow no further than their ceilings', async () => {
    const { core, widget, iife } = await measure()
    expect(core.gzip).toBeLessThanOrEqual(CEILINGS.core)
    expect(widget.gzip).toBeLessThanOrEqual(CEILINGS.widget)
    expect(iife.gzip).toBeLessThanOrEqual(CEILINGS.iife)
  })
})
