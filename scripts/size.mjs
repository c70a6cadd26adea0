// Prints the minified and minified+gzipped size of each dist file and of the headless
// core alone (`pollJob`, tree-shaken as a bundler would), against the budgets.
import { readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'

export const BUDGETS = { iife: 6144, core: 3072, css: 2048 }

const gz = (code) => gzipSync(code, { level: 9 }).length

export async function measure() {
  const core = await build({
    stdin: { contents: "export { pollJob } from './src/index.ts'", resolveDir: '.', loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    write: false,
  })
  const files = {
    'progress-polling.js': readFileSync('dist/progress-polling.js'),
    'progress-polling.global.js': readFileSync('dist/progress-polling.global.js'),
    'progress-polling.global.min.js': readFileSync('dist/progress-polling.global.min.js'),
    'progress-polling.css': readFileSync('dist/progress-polling.css'),
    'progress-polling.min.css': readFileSync('dist/progress-polling.min.css'),
    'core: pollJob alone (ESM, tree-shaken, minified)': Buffer.from(core.outputFiles[0].contents),
  }
  return Object.fromEntries(Object.entries(files).map(([name, code]) => [name, { bytes: code.length, gzip: gz(code) }]))
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const sizes = await measure()
  for (const [name, { bytes, gzip }] of Object.entries(sizes)) {
    console.log(`${name.padEnd(50)} ${String(bytes).padStart(7)} B   ${String(gzip).padStart(6)} B gzip`)
  }
  const row = (label, value, budget) =>
    console.log(`${label.padEnd(50)} ${value} B of ${budget} B budget (${Math.round((value / budget) * 100)}%)`)
  console.log('')
  row('script tag (IIFE, min+gz)', sizes['progress-polling.global.min.js'].gzip, BUDGETS.iife)
  row('headless core (min+gz)', sizes['core: pollJob alone (ESM, tree-shaken, minified)'].gzip, BUDGETS.core)
  row('stylesheet (min+gz)', sizes['progress-polling.min.css'].gzip, BUDGETS.css)
}
