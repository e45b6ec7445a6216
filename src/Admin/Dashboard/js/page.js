// What every panel shares: the key's role as far as the page knows it, messages, the confirm dialog, and operate
// calls (answered with what they did, then the page refreshes).

import { call } from './api.js';

export const state = {
  // 'unknown' until an operate call is answered: 'operate' on success, 'read' on 403.
  role: 'unknown',
  refresh: async () => {},
};

const problemBox = () => document.getElementById('problem');
const noticeBox = () => document.getElementById('notice');

let problemSource = null;

/**
 * Shows an error (problem details' detail included) where screen readers announce it. source: 'action' or
 * 'refresh'; a successful refresh clears only its own message, never an action's.
 */
export function showProblem(message, source = 'action') {
  const box = problemBox();
  if (box.textContent !== message) box.textContent = message;
  box.hidden = !message;
  problemSource = message ? source : null;
}

export function clearProblem(source = 'action') {
  if (problemSource === source || source === 'any') showProblem('');
}

export function notice(message) {
  noticeBox().textContent = message;
}

/** Marks the key read-only (hides operate controls) or operate. */
export function setRole(role) {
  state.role = role;
  document.body.dataset.role = role;
  const label = document.getElementById('key-role');
  label.textContent = role === 'read' ? 'Key set: read only (actions hidden).'
    : role === 'operate' ? 'Key set: operate.' : 'Key set.';
}

/** Asks with the page's modal dialog; resolves true on "yes". */
export function confirmAction(text, yesLabel) {
  const dialog = document.getElementById('confirm-dialog');
  document.getElementById('confirm-text').textContent = text;
  document.getElementById('confirm-yes').textContent = yesLabel;
  dialog.returnValue = '';
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'yes'), { once: true });
    dialog.showModal();
  });
}

function describeResult(result) {
  const moves = (result.moved ?? []).map((m) =>
    `${m.map} → ${m.toHost ?? 'unassigned'}${m.toKind ? ' (' + m.toKind + ')' : ''} epoch ${m.epoch}`);
  const what = result.changed ? result.message : `Nothing to do: ${result.message}`;
  return `${result.action} ${result.target}: ${what}${moves.length ? '. Moved: ' + moves.join(', ') : ''}`;
}

/** Runs an operate call; reports what it did or why it failed, then refreshes. Returns the AdminResult or null. */
export async function act(path, options = {}) {
  const buttons = document.querySelectorAll('button[data-busy-scope]');
  buttons.forEach((b) => { b.disabled = true; });
  try {
    const result = await call(path, { method: options.method ?? 'POST', body: options.body });
    setRole('operate');
    clearProblem('any');
    notice(describeResult(result));
    return result;
  } catch (e) {
    if (e.status === 403) setRole('read');
    showProblem(e.message);
    return null;
  } finally {
    buttons.forEach((b) => { b.disabled = false; });
    await state.refresh();
  }
}
