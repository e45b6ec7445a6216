// The operator page: asks for the API key once (kept in sessionStorage), then shows the cluster and refreshes it
// every few seconds in place (rows updated, not rebuilt: no flicker, focus kept).

import { ApiError, forgetKey, getKey, setKey } from './api.js';
import * as alerts from './alerts.js';
import * as history from './history.js';
import * as hosts from './hosts.js';
import * as maps from './maps.js';
import * as network from './network.js';
import { clearProblem, setRole, showProblem, state } from './page.js';

const refreshMs = 5000;
let timer = 0;
let running = null;
let again = false;

const panels = [
  [network.load, network.render],
  [hosts.load, (page) => { hosts.render(page); maps.suggestHosts(page.items.map((h) => h.hostId)); }],
  [maps.load, maps.render],
  [alerts.load, alerts.render],
  [history.load, history.render],
];

/** Loads every panel (one refresh at a time), renders what arrived, reports the first failure. */
async function refresh() {
  // One at a time; a request during one (e.g. after an action) runs once more when it ends, with fresh data.
  if (running) {
    again = true;
    return running;
  }
  running = (async () => {
    clearTimeout(timer);
    if (!getKey()) return;
    const results = await Promise.allSettled(panels.map(([load]) => load()));
    const failure = results.find((r) => r.status === 'rejected')?.reason;
    results.forEach((r, i) => { if (r.status === 'fulfilled') panels[i][1](r.value); });
    document.body.dataset.loaded = 'true';
    if (failure instanceof ApiError && failure.status === 401) {
      forgetKey();
      showKeyForm();
      showProblem(failure.message, 'refresh');
      return;
    }
    if (failure) showProblem(failure instanceof ApiError ? failure.message : `The page failed: ${failure}`, 'refresh');
    else clearProblem('refresh');
    timer = setTimeout(refresh, refreshMs);
  })();
  try { await running; } finally { running = null; }
  if (again) {
    again = false;
    await refresh();
  }
}

function showKeyForm() {
  document.getElementById('key-form').hidden = false;
  document.getElementById('key-state').hidden = true;
  document.getElementById('main').hidden = true;
  document.getElementById('api-key').focus();
}

function showPage() {
  document.getElementById('key-form').hidden = true;
  document.getElementById('key-state').hidden = false;
  document.getElementById('main').hidden = false;
}

function start() {
  state.refresh = refresh;
  setRole('unknown');
  hosts.init(refresh);
  maps.init();
  history.init(refresh);
  network.init();
  document.getElementById('key-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const input = document.getElementById('api-key');
    const key = input.value.trim();
    if (!key) return;
    setKey(key);
    input.value = '';
    setRole('unknown');
    clearProblem('any');
    showPage();
    refresh();
  });
  document.getElementById('forget-key').addEventListener('click', () => {
    forgetKey();
    clearTimeout(timer);
    setRole('unknown');
    showKeyForm();
  });
  document.addEventListener('visibilitychange', () => { if (!document.hidden) refresh(); });
  if (getKey()) {
    showPage();
    refresh();
  } else showKeyForm();
}

start();
