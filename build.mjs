// Builds dist/: ESM, IIFE (+ minified) for script tags, CSS (+ minified), and .d.ts types.
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync, rmSync } from 'node:fs'
import { build } from 'esbuild'

const common = { bundle: true, target: 'es2022', legalComments: 'none', logLevel: 'warning' }

rmSync('dist', { recursive: true, force: true })
mkdirSync('dist')
await Promise.all([
  build({ ...common, entryPoints: ['src/index.ts'], format: 'esm', outfile: 'dist/progress-polling.js' }),
  build({ ...common, entryPoints: ['src/global.ts'], format: 'iife', outfile: 'dist/progress-polling.global.js' }),
  build({
    ...common,
    entryPoints: ['src/global.ts'],
    format: 'iife',
    minify: true,
    outfile: 'dist/progress-polling.global.min.js',
  }),
  build({
    ...common,
    entryPoints: ['styles/progress-polling.css'],
    minify: true,
    outfile: 'dist/progress-polling.min.css',
  }),
])
copyFileSync('styles/progress-polling.css', 'dist/progress-polling.css')
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' })
