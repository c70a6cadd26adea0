import { describe, expect, it } from 'vitest'
import { BUDGETS, CEILINGS, measure } from '../scripts/size.mjs'

describe('size (min+gz)', () => {
  it('keeps ProgressPolling alone, the script-tag file and the stylesheet within their budgets', async () => {
    const { widget, iife, css } = await measure()
    expect(widget.gzip).toBeLessThanOrEqual(BUDGETS.widget)
    expect(iife.gzip).toBeLessThanOrEqual(BUDGETS.iife)
    expect(css.gzip).toBeLessThanOrEqual(BUDGETS.css)
  })

  it('lets pollJob alone, which is over its budget, grow no further than its ceiling', async () => {
    expect((await measure()).core.gzip).toBeLessThanOrEqual(CEILINGS.core)
  })
})
