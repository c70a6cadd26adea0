// Every timer of the library goes through here. The global setTimeout is looked up at call
// time (fake timers patch it later), and delays are made safe: a browser or Node runs a
// setTimeout of more than 2^31-1 ms at once, so longer ones are chained, and Infinity (or
// NaN) means "never".

const LONGEST = 2 ** 31 - 1

/** Calls `fn` after `ms` milliseconds. Returns the function that cancels it. */
export function after(ms: number, fn: () => void): () => void {
  if (!(ms < Infinity)) return () => {}
  let id: ReturnType<typeof setTimeout>
  const arm = (left: number) => {
    id = setTimeout(() => (left > LONGEST ? arm(left - LONGEST) : fn()), Math.min(Math.max(0, left), LONGEST))
  }
  arm(ms)
  return () => clearTimeout(id)
}
