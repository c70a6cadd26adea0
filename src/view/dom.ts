/** Creates an element with a class and attributes, appended to `parent`. */
export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string,
  parent?: Element,
  attributes: Record<string, string> = {},
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag)
  node.className = className
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value)
  parent?.append(node)
  return node
}

/** Wraps a DOM write so that it runs only when the value differs from the last one written. */
export function whenChanged<T>(write: (value: T) => void): (value: T) => void {
  let written = false
  let last: T
  return (value) => {
    if (written && value === last) return
    written = true
    last = value
    write(value)
  }
}

/** Writes an attribute when it changes; `null` removes it. */
export const attribute = (node: Element, name: string) =>
  whenChanged((value: string | null) => {
    if (value === null) node.removeAttribute(name)
    else node.setAttribute(name, value)
  })

/**
 * Writes text when it changes: server strings only ever go in as text. One Text node is
 * kept and its `data` replaced, which is cheaper than `textContent` making a new node.
 */
export const text = (node: Node) => {
  const content = node.appendChild(document.createTextNode(''))
  return whenChanged((value: string) => {
    content.data = value
  })
}

/** Writes one CSS property through the CSSOM (which a strict CSP allows) when it changes. */
export const style = (node: HTMLElement, property: string) =>
  whenChanged((value: string) => node.style.setProperty(property, value))

/** Shows or hides a node through the `hidden` attribute. */
export const visibility = (node: Element): ((shown: boolean) => void) => {
  const write = attribute(node, 'hidden')
  return (shown) => write(shown ? null : '')
}
