import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'

for (const name of ['pollJob', 'ProgressPolling']) {
  const r = await build({
    stdin: { contents: `export { ${name} } from './src/index.ts'`, resolveDir: '.', loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    write: false,
    plugins: [
      {
        name: 'x',
        setup(b) {
          b.onResolve({ filter: /transport\/sse$/ }, () => ({ path: './sse.js', external: true }))
        },
      },
    ],
  })
  const c = r.outputFiles[0].contents
  console.log(name, c.length, gzipSync(c, { level: 9 }).length)
}
