// The page of every state a person may see, for the design's checks and screenshots: the
// contact import of the design pictures, in one language and one variant.
const head = (lang) => `<!doctype html><html lang="${lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>States</title>
<link rel="stylesheet" href="/dist/progress-polling.css">
<script src="/dist/progress-polling.global.min.js"></script>
<script src="/node_modules/axe-core/axe.min.js"></script></head>`

/** The states, in the order of the design pictures, with the options each needs. */
export const STATES = [
  ['pending', 'Contact import', ''],
  ['running', 'Contact import', ''],
  ['indeterminate', 'Report generation', ''],
  ['stages', 'Video analysis', ''],
  ['waiting', 'Contact import', ''],
  ['succeeded', 'Contact import', ''],
  ['failed', 'Newsletter send', ''],
  ['cancelled', 'Contact import', ''],
  ['reconnecting', 'Contact import', 'data-poll-interval="100"'],
  ['notfound', 'Contact import', 'data-not-found-grace="0"'],
  ['html', 'Contact import', 'data-poll-interval="100"'],
  ['unreachable', 'Contact import', 'data-poll-interval="100" data-retry="0"'],
  ['toolong', 'Contact import', 'data-max-attempts="1"'],
  ['attempt', 'Contact import', 'data-poll-interval="100"'],
]

const long = `${head('en')}<body style="margin:0;padding:8px"><main>
<section data-look="longtext"><div data-progress-polling="/jobs/look-longtext-x/" data-title="A title far too long for a narrow phone screen, as page authors sometimes write them"></div></section>
<section data-look="longstage"><div data-progress-polling="/jobs/look-longstage-x/" data-title="Video"></div></section>
</main></body></html>`

/** `/looks-<lang>-<variant>` for en and fr, default and compact; `/looks-long`: long texts. */
export const looksPages = Object.fromEntries(
  ['en', 'fr']
    .flatMap((lang) =>
      ['default', 'compact'].map((variant) => [
        `/looks-${lang}-${variant}`,
        {
          body: `${head(lang)}<body style="margin:0;padding:12px;background:Canvas;color:CanvasText;color-scheme:light dark">
<main style="display:grid;gap:12px;grid-template-columns:repeat(auto-fill,minmax(min(100%,460px),1fr))">
${STATES.map(
  ([state, title, extra]) =>
    `<section data-look="${state}"><div data-progress-polling="/jobs/look-${state}-${lang}-${variant}/" data-title="${title}" ${extra} data-variant="${variant}" data-poll-interval="60000"></div></section>`,
).join('\n')}
</main></body></html>`,
        },
      ]),
    )
    .concat([['/looks-long', { body: long }]]),
)
