// @vitest-environment happy-dom
// The languages: the tables, and numbers, durations and plurals through Intl. What Intl
// writes (its spaces, its unit words) is asked of Intl, never written here.
import { afterEach, describe, expect, it } from 'vitest'
import { en } from '../../src/i18n/en'
import { fr } from '../../src/i18n/fr'
import { fill, localeOf, words } from '../../src/i18n/intl'
import { ProgressPolling } from '../../src/index'

const unit = (locale: string, name: string, n: number) =>
  new Intl.NumberFormat(locale, { style: 'unit', unit: name, unitDisplay: 'short' }).format(n)

describe('the words of a language', () => {
  it('writes durations as one or two units, through Intl', () => {
    for (const locale of ['en', 'fr']) {
      const { duration } = words(locale)
      expect(duration(0)).toBe(unit(locale, 'second', 0))
      expect(duration(42_400)).toBe(unit(locale, 'second', 42))
      expect(duration(65_000)).toBe(`${unit(locale, 'minute', 1)} ${unit(locale, 'second', 5)}`)
      expect(duration(120_000)).toBe(unit(locale, 'minute', 2))
      expect(duration(7_620_000)).toBe(`${unit(locale, 'hour', 2)} ${unit(locale, 'minute', 7)}`)
      expect(duration(-5)).toBe(unit(locale, 'second', 0))
    }
    // French says "1 min 5 s".
    expect(words('fr').duration(65_000).replace(/\s/g, ' ')).toBe('1 min 5 s')
  })

  it('groups thousands and writes percentages the way each language does', () => {
    expect(words('en').number(12345)).toBe('12,345')
    expect(words('fr').number(12345)).toBe(new Intl.NumberFormat('fr').format(12345))
    expect(words('fr').number(12345)).not.toBe('12,345')
    expect(words('en').percent(42)).toBe('42%')
    expect(words('fr').percent(42)).toBe(new Intl.NumberFormat('fr', { style: 'percent' }).format(0.42))
    expect(words('fr').percent(42).replace(/\s/g, ' ')).toBe('42 %')
    expect(words('fr-CA').number(1234.5)).toBe(new Intl.NumberFormat('fr-CA').format(1234.5))
  })

  it('picks plural forms through Intl.PluralRules: French 0 and 1 are singular', () => {
    const french = words('fr')
    expect(french.count('processed', 0)).toBe('0 traité')
    expect(french.count('processed', 1)).toBe('1 traité')
    expect(french.count('processed', 2)).toBe('2 traités')
    expect(words('en').count('items', 1)).toBe('1 item')
    expect(words('en').count('items', 0)).toBe('0 items')
    // A form the table does not have falls back to the other form.
    expect(french.count('processed', 1_000_000)).toBe(`${french.number(1_000_000)} traités`)
  })

  it('lets labels override any string, plural forms included, in any language', () => {
    const french = words('fr', { succeeded: 'Import fini', processed_one: '{n} ligne', processed: '{n} lignes' })
    expect(french.labels.succeeded).toBe('Import fini')
    expect(french.labels.running).toBe(fr.running)
    expect(french.count('processed', 1)).toBe('1 ligne')
  })

  it('has a French word for every English one, and no other', () => {
    const plain = (keys: string[]) => keys.filter((key) => !/_(zero|one|two|few|many)$/.test(key)).sort()
    expect(plain(Object.keys(fr))).toEqual(plain(Object.keys(en)))
    for (const [key, value] of Object.entries(en)) {
      const placeholders = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort()
      expect(placeholders(fr[key as keyof typeof fr] as string), key).toEqual(placeholders(value))
    }
  })

  it('fills placeholders and leaves unknown ones as written', () => {
    expect(fill('{a} of {b} {c}', { a: 1, b: 'two' })).toBe('1 of two {c}')
  })
})

describe('the language of a widget', () => {
  afterEach(() => {
    document.documentElement.removeAttribute('lang')
    document.body.replaceChildren()
  })

  it('follows the locale option, else the lang of the container or the page, else English', () => {
    const box = document.createElement('div')
    document.body.append(box)
    expect(localeOf(undefined, box)).toBe('en')
    document.documentElement.lang = 'fr-FR'
    expect(localeOf(undefined, box)).toBe('fr-FR')
    box.lang = 'en-GB'
    expect(localeOf(undefined, box)).toBe('en-GB')
    expect(localeOf('fr', box)).toBe('fr')
    // A language without words of its own, or a lang attribute that is not one, is English.
    expect(localeOf('de', box)).toBe('en')
    box.lang = 'not a language'
    expect(localeOf(undefined, box)).toBe('en')
  })

  it('refuses a locale that is not a language tag, saying what it must be', () => {
    const box = document.createElement('div')
    document.body.append(box)
    const never = { fetch: () => new Promise<Response>(() => {}) }
    expect(() => new ProgressPolling(box, 'https://example.test/jobs/1/', { locale: 'fr_FR!', ...never })).toThrow(
      /`locale` option must be a language tag such as 'en' or 'fr-CA', got "fr_FR!"/,
    )
    expect(() => new ProgressPolling(box, 'https://example.test/jobs/1/', { locale: 42 as never, ...never })).toThrow(
      /`locale` option must be a string/,
    )
    expect(
      () => new ProgressPolling(box, 'https://example.test/jobs/1/', { variant: 'tiny' as never, ...never }),
    ).toThrow(/`variant` option must be 'default' or 'compact', got "tiny"/)
  })
})
