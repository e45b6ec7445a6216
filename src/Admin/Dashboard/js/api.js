// The admin API (/api/v1, docs/admin-api.md) as this page uses it: one key, kept in this tab's sessionStorage only,
// and every failure as an ApiError carrying the server's problem details.

const storageKey = 'p2p.admin.key';
// The page lives at /p2p/dashboard/: the API is two levels up, so a reverse proxy's path prefix is kept.
const base = new URL('../../api/v1/', document.baseURI);

/** A failed call: HTTP status and the problem details (RFC 7807) the API answered with, if any. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(describe(status, problem));
    this.status = status;
    this.problem = problem;
  }
}

function describe(status, problem) {
  const detail = problem?.detail ?? problem?.title ?? '';
  const field = problem?.field ? ` (field: ${problem.field})` : '';
  switch (status) {
    case 0: return `The silo did not answer: ${detail}`;
    case 401: return `The API key was refused (401)${detail ? ': ' + detail : ''}. Enter a valid key.`;
    case 403: return `This key may only read (403)${detail ? ': ' + detail : ''}. Actions need an operate key.`;
    case 429: return `Too many failed attempts from this address (429)${detail ? ': ' + detail : ''}. Wait and try again.`;
    default: return `${problem?.title ?? 'Request failed'} (${status})${detail && detail !== problem?.title ? ': ' + detail : ''}${field}`;
  }
}

export function getKey() {
  return sessionStorage.getItem(storageKey);
}

export function setKey(key) {
  sessionStorage.setItem(storageKey, key);
}

export function forgetKey() {
  sessionStorage.removeItem(storageKey);
}

/** Calls the API: path relative to /api/v1/ ("hosts?limit=50"); resolves to the parsed JSON body. */
export async function call(path, { method = 'GET', body } = {}) {
  const headers = { Accept: 'application/json' };
  const key = getKey();
  if (key) headers.Authorization = `Bearer ${key}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(new URL(path, base), {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store',
    });
  } catch (e) {
    throw new ApiError(0, { detail: e.message });
  }
  const text = await response.text();
  let json = null;
  if (text) {
    try { json = JSON.parse(text); } catch { json = { detail: text.slice(0, 200) }; }
  }
  if (!response.ok) throw new ApiError(response.status, json);
  return json;
}

/** Encodes one path segment (a host id or map name). */
export const seg = (value) => encodeURIComponent(value);
