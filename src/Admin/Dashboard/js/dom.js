// Small DOM helpers. Text goes in as text (never innerHTML): host ids, map names and reasons come from the cluster.

/** Creates an element: el('td', { className: 'x', dataset: { k: 'v' } }, 'text', child). */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (name === 'dataset') Object.assign(node.dataset, value);
    else if (name.startsWith('aria-') || name === 'role' || name === 'scope') node.setAttribute(name, value);
    else node[name] = value;
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

/** Sets text only when it changed, so a refresh does not touch what did not. */
export function setText(node, text) {
  const value = text === null || text === undefined ? '' : String(text);
  if (node.textContent !== value) node.textContent = value;
}

export function setClass(node, name, on) {
  if (node.classList.contains(name) !== Boolean(on)) node.classList.toggle(name, Boolean(on));
}

/**
 * Brings a tbody in line with items without rebuilding it: rows are keyed (data-key), an existing row is updated in
 * place, new rows are created, gone rows removed, order fixed with the fewest moves. Focus and hover survive a refresh.
 * create(item) builds a row; update(row, item) fills it (called for new and existing rows).
 */
export function syncRows(tbody, items, key, create, update) {
  const existing = new Map();
  for (const row of tbody.rows) existing.set(row.dataset.key, row);
  let previous = null;
  for (const item of items) {
    const k = String(key(item));
    let row = existing.get(k);
    if (row) existing.delete(k);
    else {
      row = create(item);
      row.dataset.key = k;
    }
    update(row, item);
    const expected = previous ? previous.nextSibling : tbody.firstChild;
    if (expected !== row) tbody.insertBefore(row, expected);
    previous = row;
  }
  for (const row of existing.values()) row.remove();
}

/** A row with n empty cells (th for the first, scope=row), for syncRows' create. */
export function emptyRow(cells) {
  const row = el('tr');
  for (let i = 0; i < cells; i++) row.append(i === 0 ? el('th', { scope: 'row' }) : el('td'));
  return row;
}

/** Shows one message in a single-row tbody spanning the table (e.g. "no hosts"). */
export function placeholder(tbody, columns, text) {
  syncRows(tbody, text ? [text] : [], () => '__placeholder', () => {
    const row = el('tr', { className: 'placeholder' }, el('td', { colSpan: columns }));
    return row;
  }, (row, t) => setText(row.cells[0], t));
}
