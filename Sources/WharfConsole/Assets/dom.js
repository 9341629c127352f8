// Building elements without HTML strings: every value becomes a text node or an attribute, so a
// queue name or message body can never turn into markup (and the CSP forbids inline code anyway).

/** h('tr', {class: 'row', onclick: fn, dataset: {url}}, child, 'text', ...) */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else if (name === 'text') element.textContent = value;
    else if (name in element && typeof value !== 'string') element[name] = value;
    else element.setAttribute(name, value === true ? '' : value);
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** An SVG element (the sparklines). */
export function svg(tag, attributes = {}, ...children) {
  const element = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  for (const child of children) element.append(child);
  return element;
}

export function replace(target, ...children) {
  target.replaceChildren();
  append(target, children);
}

/** An SQS error as the page shows it: the code SQS answered and its message. */
export function errorText(error) {
  return error?.code ? `${error.code}: ${error.message}` : String(error?.message ?? error);
}
