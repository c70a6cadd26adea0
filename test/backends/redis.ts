// A Redis of the test's own: `redis-server` from the system, on a free loopback port, with
// nothing written to disk, stopped after. Without one, the tests that need it are skipped
// with a notice, except under CI=true where that fails.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { createServer } from 'node:net'

/** `REDIS_SERVER`, else `redis-server` on the PATH; `undefined` when there is none. */
export function findRedis(): string | undefined {
  const command = process.env.REDIS_SERVER || 'redis-server'
  return spawnSync(command, ['--version']).status === 0 ? command : undefined
}

/** A port nothing listens on now. */
async function freePort(): Promise<number> {
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const { port } = probe.address() as { port: number }
  await new Promise((resolve) => probe.close(resolve))
  return port
}

export interface Redis {
  port: number
  stop(): Promise<void>
}

/** Starts `command` and resolves once it accepts connections. */
export async function startRedis(command: string): Promise<Redis> {
  const port = await freePort()
  const child: ChildProcess = spawn(
    command,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  // Never outlive the test process, whatever ends it.
  const kill = () => child.kill('SIGKILL')
  process.once('exit', kill)
  let output = ''
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server did not start in 10 s:\n${output}`)), 10_000)
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer)
        resolve()
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`redis-server exited with ${code}:\n${output}`))
    })
  })
  return {
    port,
    async stop() {
      process.off('exit', kill)
      if (child.exitCode !== null) return
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    },
  }
}
