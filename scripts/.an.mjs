import { build } from 'esbuild'

const name = process.argv[2] ?? 'ProgressPolling'
const r = await build({
  entryPoints: ['entry'],
  plugins: [
    {
      name: 'e',
      setup(b) {
        b.onResolve({ filter: /^entry$/ }, () => ({ path: 'entry', namespace: 'e' }))
        b.onLoad({ filter: /.*/, namespace: 'e' }, () => ({
          contents: `export { ${name} } from './src/index.ts'`,
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
  outdir: 'out',
  write: false,
  metafile: true,
})
const rows = {}
for (const [out, o] of Object.entries(r.metafile.outputs)) {
  if (out.includes('sse-')) continue
  for (const [k, v] of Object.entries(o.inputs)) rows[k] = (rows[k] ?? 0) + v.bytesInOutput
}
for (const [k, b] of Object.entries(rows).sort((a, b) => b[1] - a[1])) console.log(String(b).padStart(6), k)
if (process.argv[3]) for (const f of r.outputFiles) if (!f.path.includes('sse-')) console.log(f.text)
