// @vitest-environment happy-dom
// Its own file: the script-tag build starts a page-wide observer when it loads.
import { describe, expect, it, vi } from 'vitest'

describe('a script tag in <head>', () => {
  it('waits for DOMContentLoaded before scanning the page', async () => {
    vi.spyOn(document, 'readyState', 'get').mockReturnValue('loading')
    const fetch = vi.fn(async () => Response.json({ status: 'running' }))
    await import('../../src/global')
    window.ProgressPolling.defaults.fetch = fetch
    document.body.innerHTML = '<div id="c" data-progress-polling="/jobs/7/"></div>'
    await Promise.resolve()
    expect(document.querySelector('#c .progress-polling')).toBeNull()
    document.dispatchEvent(new Event('DOMContentLoaded'))
    expect(document.querySelector('#c .progress-polling')).not.toBeNull()
    expect(fetch).toHaveBeenCalledWith('/jobs/7/', expect.anything())
    window.ProgressPolling.defaults.fetch = undefined
  })
})
