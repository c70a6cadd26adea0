// Prints the minified and minified+gzipped size of each dist file and of the headless
// core alone (`pollJob`, tree-shaken as a bundler would), against the budgets.
import { readFileSync, writeFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'

/** The product's size targets, min+gz bytes. */
export const BUDGETS = { iife: 6144, core: 3072, css: 2048 }
/**
 * What `npm test` lets through today: the stylesheet within its budget; the scripts, which
 * are over theirs, no larger than now (plus 3 %), so that they can only shrink towards it.
 */
export const CEILINGS = { iife: 9650, core: 6700, css: BUDGETS.css }

const sizeOf = (code) => ({ bytes: code.length, gzip: gzipSync(code, { level: 9 }).length })

/** Sizes of the built files (run `npm run build` first) and of the core alone. */
export async function measure() {
  const core = await build({
    stdin: { contents: "export { pollJob } from './src/index.ts'", resolveDir: '.', loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    write: false,
  })
  const dist = (name) => sizeOf(readFileSync(`dist/${name}`))
  return {
    iife: dist('progress-polling.global.min.js'),
    core: sizeOf(core.outputFiles[0].contents),
    css: dist('progress-polling.min.css'),
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
  console.log('')
  for (const [key, label] of [
    ['iife', 'script tag (IIFE)'],
    ['core', 'headless core'],
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
    for (const key of ['iife', 'core', 'css']) {
      const figure = `<!-- size:${key} -->${(sizes[key].gzip / 1024).toFixed(1)} KB`
      readme = readme.replace(new RegExp(`<!-- size:${key} -->[\\d.]+ KB`), figure)
    }
    writeFileSync('README.md', readme)
    console.log('README.md updated')
  }
}
