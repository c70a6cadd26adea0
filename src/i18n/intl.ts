// Numbers, percentages, durations and plurals of one language, through Intl; the tables of
// words, by language. A widget makes one `Words` and formats with it on every change.
import { type Counted, en, type Labels } from './en'
import { fr } from './fr'

/** The languages with built-in words. */
export const tables: Record<string, Labels> = { en, fr }

/** Fills `{name}` placeholders of a label. */
export const fill = (label: string, values: Record<string, string | number>): string =>
  label.replace(/\{(\w+)\}/g, (whole, name: string) => String(values[name] ?? whole))

/**
 * The language of a widget: its `locale` option, else the `lang` of the element it is
 * mounted in (or of the page), when it is one with words of its own; else English. Throws a
 * `TypeError` for a `locale` that is not a language tag.
 */
export function localeOf(option: string | undefined, container: Element): string {
  let tag: string | undefined
  try {
    tag = Intl.getCanonicalLocales(option ?? container.closest('[lang]')?.getAttribute('lang') ?? 'en')[0]
  } catch {
    // A page's lang that is no language tag is English; an option that is none is a mistake.
    if (option !== undefined)
      throw new TypeError(
        `progress-polling: the \`locale\` option must be a language tag such as 'en' or 'fr-CA', got ${JSON.stringify(option)}`,
      )
  }
  return tag && Object.hasOwn(tables, language(tag)) ? tag : 'en'
}

/** `fr` of `fr-CA`. */
export const language = (tag: string): string => tag.split('-')[0]?.toLowerCase() ?? ''

export interface Words {
  /** The language tag the formats follow. */
  locale: string
  labels: Labels
  /** `12,345`; French `12 345`. */
  number(n: number): string
  /** `42%` of 42; French `42 %`. */
  percent(n: number): string
  /** `1 min 5 sec`; French `1 min 5 s`: two units at most. */
  duration(ms: number): string
  /** A label with a count, in the plural form the count takes. */
  count(key: Counted, n: number): string
}

interface Formats {
  number: Intl.NumberFormat
  percent: Intl.NumberFormat
  hours: Intl.NumberFormat
  minutes: Intl.NumberFormat
  seconds: Intl.NumberFormat
  plural: Intl.PluralRules
}

/** Intl's formats of one locale, made once per page: a thousand widgets share them. */
const formats = new Map<string, Formats>()
function formatsOf(locale: string): Formats {
  let made = formats.get(locale)
  if (!made) {
    const unit = (name: string) => new Intl.NumberFormat(locale, { style: 'unit', unit: name, unitDisplay: 'short' })
    made = {
      number: new Intl.NumberFormat(locale),
      percent: new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }),
      hours: unit('hour'),
      minutes: unit('minute'),
      seconds: unit('second'),
      plural: new Intl.PluralRules(locale),
    }
    formats.set(locale, made)
  }
  return made
}

/** The words and formats of `locale`, its table completed by `labels`. */
export function words(locale: string, labels: Partial<Labels> = {}): Words {
  const table: Labels = { ...(tables[language(locale)] ?? en), ...labels }
  const { number, percent, hours, minutes, seconds, plural } = formatsOf(locale)
  return {
    locale,
    labels: table,
    number: (n) => number.format(n),
    percent: (n) => percent.format(n / 100),
    duration(ms) {
      const total = Math.max(0, Math.round(ms / 1000))
      const h = Math.floor(total / 3600)
      const m = Math.floor((total % 3600) / 60)
      const s = total % 60
      const two = (big: string, small: number, format: Intl.NumberFormat) =>
        small ? `${big} ${format.format(small)}` : big
      if (h) return two(hours.format(h), m, minutes)
      if (m) return two(minutes.format(m), s, seconds)
      return seconds.format(s)
    },
    count: (key, n) => fill(table[`${key}_${plural.select(n)}` as keyof Labels] ?? table[key], { n: number.format(n) }),
  }
}
