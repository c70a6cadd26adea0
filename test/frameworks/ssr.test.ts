// Server rendering, in Node: no window, no document. useJob renders "no snapshot yet" and
// sends nothing; the page's JavaScript follows the job once it runs in the browser.
import { createElement } from 'react'
import { renderToString } from 'react-dom/server'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createSSRApp, defineComponent, h } from 'vue'
import { renderToString as renderVue } from 'vue/server-renderer'
import { useJob as useReactJob } from '../../src/frameworks/react'
import { useJob as useVueJob } from '../../src/frameworks/vue'

afterEach(() => vi.restoreAllMocks())

describe('server rendering', () => {
  it('has no window here, as on a server', () => {
    expect(typeof window).toBe('undefined')
    expect(typeof document).toBe('undefined')
  })

  it('React: useJob gives no snapshot and sends no request', () => {
    const fetch = vi.spyOn(globalThis, 'fetch')
    function Job() {
      const { snapshot, error } = useReactJob('http://127.0.0.1:9/jobs/1/')
      return createElement('p', null, snapshot ? snapshot.status : 'none', error ? 'error' : '')
    }
    expect(renderToString(createElement(Job))).toBe('<p>none</p>')
    expect(fetch).not.toHaveBeenCalled()
  })

  it('Vue: useJob gives no snapshot and sends no request', async () => {
    const fetch = vi.spyOn(globalThis, 'fetch')
    const Job = defineComponent({
      setup() {
        // biome-ignore lint/correctness/useHookAtTopLevel: a Vue composable in setup(), not a React hook
        const { snapshot } = useVueJob('http://127.0.0.1:9/jobs/1/')
        return () => h('p', snapshot.value ? snapshot.value.status : 'none')
      },
    })
    expect(await renderVue(createSSRApp(Job))).toBe('<p>none</p>')
    expect(fetch).not.toHaveBeenCalled()
  })
})
