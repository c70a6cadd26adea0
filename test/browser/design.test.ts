// What a person sees, in Chromium: every state in English and French, light and dark, default
// and compact. The contrast of every text and of every bar fill, stage ring and status icon is
// computed from the rendered colours (axe does not check non-text contrast); the screenshots
// are saved in test-results/looks-*.png.
import { mkdirSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { afterAll, describe, expect, it } from 'vitest'
import { looksPages, STATES } from './looks.mjs'
import { executablePath, withChromium } from './with-chromium'

const env = withChromium({ pages: looksPages })

/** What each state's root says once it is reached. */
const REACHED: Record<string, string> = {
  pending: '[data-status="pending"]:not([data-connection])',
  running: '[data-status="running"]:not([data-indeterminate])',
  indeterminate: '[data-status="running"][data-indeterminate]',
  stages: '[data-status="running"]',
  waiting: '[data-status="waiting"]',
  succeeded: '[data-status="succeeded"]',
  failed: '[data-status="failed"]',
  cancelled: '[data-status="cancelled"]',
  reconnecting: '[data-connection="retrying"]',
  notfound: '[data-connection="lost"]',
  html: '[data-connection="lost"]',
  unreachable: '[data-connection="lost"]',
  toolong: '[data-connection="lost"]',
  attempt: '[data-attempt]',
}

const open = env.open

/** Waits for every state, the bars' moves stopped where they are, for the pictures. */
async function reachAll(page: Page): Promise<void> {
  await page.addStyleTag({
    content:
      '*, ::before { transition: none !important; animation-play-state: paused !important; animation-delay: -0.5s !important }',
  })
  await page.waitForFunction(
    (reached) =>
      Object.entries(reached).every(([state, selector]) =>
        document.querySelector(`[data-look="${state}"] .progress-polling${selector}`),
      ),
    REACHED,
  )
}

interface Finding {
  look: string
  what: string
  ratio: number
  need: number
}

/**
 * In the page: the contrast of every text of every widget (4.5:1) and of every bar fill
 * against its track, stage ring and status icon against the card (3:1), with colours
 * composited over what is behind them and the opacity of their ancestors.
 */
function contrasts(): Finding[] {
  type RGBA = [number, number, number, number]
  const probe = document.createElement('canvas').getContext('2d') as CanvasRenderingContext2D
  const rgba = (css: string): RGBA => {
    // The canvas reads any CSS colour (color(srgb …), color-mix results) as sRGB bytes.
    probe.clearRect(0, 0, 1, 1)
    probe.fillStyle = '#000'
    probe.fillStyle = css
    probe.fillRect(0, 0, 1, 1)
    const [r, g, b, a] = probe.getImageData(0, 0, 1, 1).data as unknown as number[]
    return [r as number, g as number, b as number, (a as number) / 255]
  }
  const over = (top: RGBA, under: RGBA): RGBA => {
    const a = top[3] + under[3] * (1 - top[3])
    const mix = (i: number) =>
      a ? ((top[i] as number) * top[3] + (under[i] as number) * under[3] * (1 - top[3])) / a : 0
    return [mix(0), mix(1), mix(2), a]
  }
  const luminance = ([r, g, b]: RGBA) => {
    const lin = (c: number) => {
      const s = c / 255
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4
    }
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
  }
  const ratio = (a: RGBA, b: RGBA) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number]
    return (hi + 0.05) / (lo + 0.05)
  }
  /** What is painted behind `el` (its ancestors' backgrounds, over the canvas). */
  const behind = (el: Element | null): RGBA => {
    const layers: RGBA[] = []
    for (let node = el; node; node = node.parentElement) layers.push(rgba(getComputedStyle(node).backgroundColor))
    return layers.reduceRight((under, layer) => over(layer, under), rgba('#fff'))
  }
  const opacity = (el: Element) => {
    let o = 1
    for (let node: Element | null = el; node; node = node.parentElement) o *= Number(getComputedStyle(node).opacity)
    return o
  }
  const faded = (color: RGBA, el: Element): RGBA => [color[0], color[1], color[2], color[3] * opacity(el)]
  const findings: Finding[] = []
  const seen = (el: Element) => el.getClientRects().length > 0 && getComputedStyle(el).visibility === 'visible'
  for (const section of document.querySelectorAll<HTMLElement>('[data-look]')) {
    const look = section.dataset.look as string
    const widget = section.querySelector('.progress-polling') as HTMLElement
    const card = behind(widget)
    const add = (what: string, fg: RGBA, bg: RGBA, need: number) =>
      findings.push({ look, what, ratio: Math.round(ratio(over(fg, bg), bg) * 100) / 100, need })
    // Texts: every element with text of its own.
    for (const el of widget.querySelectorAll('*')) {
      const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent?.trim())
      if (!own || !seen(el)) continue
      add(`text .${el.className || el.tagName}`, faded(rgba(getComputedStyle(el).color), el), behind(el), 4.5)
    }
    // The bar's fill against its track, where the fill shows.
    const fill = widget.querySelector('.pp-fill') as HTMLElement
    if (fill.getBoundingClientRect().width > 0 && seen(fill)) {
      const track = behind(fill.parentElement)
      add('bar fill', faded(rgba(getComputedStyle(fill).backgroundColor), fill), track, 3)
    }
    // The status icon: its ring, or its filled shape.
    const icon = widget.querySelector('.pp-state') as HTMLElement
    const style = getComputedStyle(icon)
    const ring = Number.parseFloat(style.borderTopWidth) > 0 ? style.borderTopColor : style.backgroundColor
    add('status icon', faded(rgba(ring), icon), card, 3)
    // Each stage's ring.
    for (const step of widget.querySelectorAll('.pp-step')) {
      if (!seen(step)) continue
      const before = getComputedStyle(step, '::before')
      add(`ring of ${step.getAttribute('data-state')} stage`, faded(rgba(before.borderTopColor), step), card, 3)
    }
  }
  return findings
}

describe.skipIf(!executablePath)('what a person sees, in Chromium', { timeout: 30_000 }, () => {
  mkdirSync('test-results', { recursive: true })
  const lowest: Record<string, string> = {}
  // One page per language and variant, every state reached, shared by the tests below.
  const pages = new Map<string, Promise<Page>>()
  const pageFor = (lang: string, variant: string) => {
    const key = `/looks-${lang}-${variant}`
    if (!pages.has(key))
      pages.set(
        key,
        open(key).then((page) => reachAll(page).then(() => page)),
      )
    return pages.get(key) as Promise<Page>
  }
  afterAll(async () => {
    for (const page of pages.values()) await (await page).close()
  })

  for (const lang of ['en', 'fr'] as const) {
    for (const variant of ['default', 'compact']) {
      it(`${lang}, ${variant}: every state reached; light and dark, every text at least 4.5:1, every bar, ring and icon at least 3:1; screenshots`, async () => {
        const page = await pageFor(lang, variant)
        for (const colorScheme of ['light', 'dark'] as const) {
          await page.emulateMedia({ colorScheme })
          await page.setViewportSize({ width: 1200, height: 800 })
          const findings = await page.evaluate(contrasts)
          expect(findings.filter((f) => f.what.startsWith('text')).length).toBeGreaterThan(STATES.length * 3)
          expect(findings.filter((f) => f.what === 'bar fill').length).toBeGreaterThanOrEqual(10)
          expect(findings.filter((f) => f.what.startsWith('ring')).length).toBe(variant === 'default' ? 4 : 0)
          expect(findings.filter((f) => f.ratio < f.need)).toEqual([])
          for (const kind of ['text', 'bar fill', 'ring', 'status icon']) {
            const least = findings.filter((f) => f.what.startsWith(kind)).sort((a, b) => a.ratio - b.ratio)[0]
            if (least)
              lowest[`${lang} ${colorScheme} ${variant} ${kind}`] = `${least.ratio}:1 (${least.look}, ${least.what})`
          }
          // A compact row is a tray's: pictured at a phone's width.
          for (const width of variant === 'compact' ? [360] : [1200, 360]) {
            await page.setViewportSize({ width, height: 800 })
            const height = await page.evaluate(() => document.documentElement.scrollHeight)
            await page.setViewportSize({ width, height })
            await page.screenshot({ path: `test-results/looks-${lang}-${variant}-${colorScheme}-${width}.png` })
          }
        }
        await page.emulateMedia({ colorScheme: 'light' })
      })
    }
  }

  it('prints the lowest contrast found, per language, scheme, variant and kind', () => {
    console.log(
      `\n[design] lowest contrast:\n${Object.entries(lowest)
        .map(([k, v]) => `  ${k}: ${v}`)
        .join('\n')}\n`,
    )
  })

  it('at 360 px: a compact row is 64 px tall at most in every state; the ten states of the pictures measured', async () => {
    const heights: Record<string, number[]> = {}
    for (const variant of ['default', 'compact']) {
      const page = await pageFor('en', variant)
      await page.setViewportSize({ width: 360, height: 800 })
      heights[variant] = await page.$$eval('[data-look] .progress-polling', (all) =>
        all.map((w) => Math.round(w.getBoundingClientRect().height)),
      )
      // The bar never changes width: the same in every state, "100 %" included.
      const bars = await page.$$eval('[data-look] .pp-bar', (all) =>
        all.map((b) => Math.round(b.getBoundingClientRect().width)),
      )
      expect(new Set(bars).size).toBe(1)
    }
    expect(Math.max(...(heights.compact as number[]))).toBeLessThanOrEqual(64)
    const ten = (list: number[]) => list.slice(0, 10).reduce((a, b) => a + b, 0)
    console.log(
      `\n[design] ten states at 360 px: ${ten(heights.default as number[])} px (compact: ${ten(heights.compact as number[])} px), cards only\n`,
    )
  })

  it('in French from the page’s lang: words from the table, numbers, percentages and durations through Intl', async () => {
    const page = await pageFor('fr', 'default')
    const seen = await page.evaluate(() => {
      const text = (look: string, part: string) =>
        document.querySelector(`[data-look="${look}"] .${part}`)?.textContent?.trim()
      const unit = (unit: string, n: number) =>
        new Intl.NumberFormat('fr', { style: 'unit', unit, unitDisplay: 'short' }).format(n)
      return {
        succeeded: [text('succeeded', 'pp-label'), `Terminé en ${unit('minute', 1)} ${unit('second', 14)}`],
        percent: [text('running', 'pp-percent'), new Intl.NumberFormat('fr', { style: 'percent' }).format(0.42)],
        count: [text('running', 'pp-count'), `${(84).toLocaleString('fr')} sur ${(200).toLocaleString('fr')}`],
        failed: [text('failed', 'pp-label'), `Échec après ${unit('second', 38)}`],
        stage: [text('stages', 'pp-label'), 'Indexing · étape 2 sur 4'],
        retrying: [
          text('reconnecting', 'pp-message')?.replace(/\d+/, 'N'),
          `Connexion perdue — nouvel essai dans ${unit('second', 9).replace(/\d+/, 'N')}`,
        ],
        gone: [text('notfound', 'pp-label'), 'Introuvable'],
      }
    })
    for (const [actual, expected] of Object.values(seen)) expect(actual).toBe(expected)
  })

  it('under reduced motion: nothing moves, and an unknown amount is a hatched, partial bar', async () => {
    const page = await pageFor('en', 'default')
    await page.emulateMedia({ reducedMotion: 'reduce' })
    const look = await page.evaluate(() => {
      const fill = document.querySelector('[data-look="indeterminate"] .pp-fill') as HTMLElement
      const bar = fill.parentElement as HTMLElement
      return {
        share: fill.getBoundingClientRect().width / bar.getBoundingClientRect().width,
        image: getComputedStyle(fill).backgroundImage,
        // The page's own stylesheet pauses animations for the pictures: none may even exist.
        moving: document.getAnimations().length,
      }
    })
    expect(look.share).toBeGreaterThan(0.2)
    expect(look.share).toBeLessThan(0.6)
    expect(look.image).toContain('repeating-linear-gradient')
    expect(look.moving).toBe(0)
    await page.emulateMedia({ reducedMotion: 'no-preference' })
    expect(await page.evaluate(() => document.getAnimations().length)).toBeGreaterThan(0)
  })

  it('at 320 px, long texts are contained: a 20 KB failure message is clamped and shown whole when focused, long names ellipsized with their full text reachable', async () => {
    const page = await open('/looks-long', { viewport: { width: 320, height: 640 } })
    await page.waitForSelector('[data-look="longtext"] [data-status="failed"]')
    await page.waitForSelector('[data-look="longstage"] [data-status="running"]')
    const before = await page.evaluate(() => {
      const card = (look: string) => document.querySelector(`[data-look="${look}"] .progress-polling`) as HTMLElement
      const label = card('longstage').querySelector('.pp-label') as HTMLElement
      const title = card('longtext').querySelector('.pp-title') as HTMLElement
      return {
        overflow: document.documentElement.scrollWidth,
        height: card('longtext').getBoundingClientRect().height,
        label: { cut: label.scrollWidth > label.clientWidth, full: label.title },
        title: { cut: title.scrollWidth > title.clientWidth, full: title.title },
      }
    })
    expect(before.overflow).toBeLessThanOrEqual(320)
    expect(before.height).toBeLessThan(200)
    expect(before.label).toEqual({
      cut: true,
      full: 'Generating thumbnails for every scene of the uploaded video in three sizes and two formats',
    })
    expect(before.title.cut).toBe(true)
    expect(before.title.full).toMatch(/^A title far too long/)
    await page.focus('[data-look="longtext"] .pp-message')
    const focused = await page.$eval('[data-look="longtext"] .pp-message', (m) => ({
      shown: m.clientHeight,
      scrolls: m.scrollHeight > m.clientHeight,
    }))
    expect(focused.shown).toBeGreaterThan(200)
    expect(focused.scrolls).toBe(true)
    await page.screenshot({ path: 'test-results/looks-long-320.png' })
    await page.close()
  })
})
