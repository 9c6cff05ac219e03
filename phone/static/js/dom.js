/* Building the page.  Safety: every text that comes from the server or from the participant
 * is put on the page with textContent / createElement only.  Never innerHTML.
 */

export function byId(id) { return document.getElementById(id); }

/** An element with attributes (className, or any attribute; null/undefined/false are left out)
 *  and, optionally, its text. */
export function el(tag, attrs, text) {
  const node = document.createElement(tag);
  if (attrs) {
    Object.keys(attrs).forEach((name) => {
      const v = attrs[name];
      if (v === null || v === undefined || v === false) { return; }
      if (name === 'className') { node.className = v; } else { node.setAttribute(name, v === true ? '' : String(v)); }
    });
  }
  if (text !== undefined && text !== null) { node.textContent = String(text); }
  return node;
}

/** An element whose id is also its data-testid. */
export function withId(tag, id, attrs, text) {
  const a = attrs || {};
  a.id = id;
  a['data-testid'] = id;
  return el(tag, a, text);
}

/** A label only screen readers read. */
export function srLabel(forId, text) {
  return el('label', { className: 'sr-only', for: forId }, text);
}

export function clear(node) {
  while (node.firstChild) { node.removeChild(node.firstChild); }
}
