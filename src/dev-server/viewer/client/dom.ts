/**
 * Building the page without markup: every string becomes a text node or an
 * attribute value, never HTML, because event content is untrusted.
 */

type Child = Node | string | number | null | undefined | false | readonly Child[];
type Props = Record<string, string | number | boolean | null | undefined | ((event: Event) => void)>;

/** An element with `props` (`class`, `text`, `on<event>` handlers, attributes) and `children`. */
export function h(tag: string, props?: Props | null, ...children: Child[]): HTMLElement {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (typeof value === 'function') node.addEventListener(key.slice(2), value);
    else if (key === 'class') node.className = String(value);
    else if (key === 'text') node.textContent = String(value);
    else node.setAttribute(key, String(value));
  }
  append(node, children);
  return node;
}

function append(node: HTMLElement, children: readonly Child[]): void {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else node.append(child instanceof Node ? child : String(child));
  }
}

/** The page's element with this id; the page skeleton (page.ts) always has it. */
export function byId(id: string): HTMLElement {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`the viewer page has no #${id}`);
  return element;
}
