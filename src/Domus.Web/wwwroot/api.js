// domusd's HTTP API as the pages use it: JSON both ways; a refusal is an Error with domusd's sentence, its HTTP
// status, and for a form the sentence of each field (error.errors).
export const api = '/api/v1';

/**
 * fetch for the API: a 401 (a browser on another host, not logged in or its session over) leads to the login page,
 * which comes back here afterwards.
 */
let leaving = false;

export async function apiFetch(path, options = {}) {
  const response = await fetch(path, options);
  if (response.status === 401) {
    // Several requests may be refused at once; the browser is sent to the login page once.
    if (!leaving) {
      leaving = true;
      location.assign(`/login.html?next=${encodeURIComponent(location.pathname + location.search)}`);
    }
    throw new Error('log in first');
  }
  return response;
}

export async function call(method, path, body) {
  const init = { method, headers: { 'Accept': 'application/json' } };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await apiFetch(api + path, init);
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = new Error(answer.error ?? `domusd answered ${response.status}`);
    error.status = response.status;
    error.errors = answer.errors ?? {};
    throw error;
  }
  return answer;
}

/**
 * Reads an API path now and every interval ms, calling render only when the answer changed (so that a click is not
 * lost to a refresh); the status element says when domusd cannot be reached. Returns the refresh, to call at once
 * after an action.
 */
export function poll(path, render, status, interval) {
  let shown = '';
  async function refresh() {
    try {
      const answer = await call('GET', path);
      if (JSON.stringify(answer) !== shown) {
        shown = JSON.stringify(answer);
        render(answer);
      }
      if (status.textContent === 'Loading…') {
        say(status, '');
      }
    } catch (error) {
      say(status, `domusd: ${error.message}`, true);
    }
  }
  refresh();
  setInterval(refresh, interval);
  return refresh;
}

/** A table cell with its column's label (the phone layout shows it before the value), its text and class. */
export function cell(row, label, text = '', className = '') {
  const td = row.insertCell();
  td.dataset.label = label;
  td.textContent = text;
  if (className) {
    td.className = className;
  }
  return td;
}

/** Writes a line into a status element; errors in the danger colour. */
export function say(element, text, error = false) {
  element.textContent = text;
  element.classList.toggle('failed', error);
}

/** Shows each field's error next to it (an element data-error="FIELD"); returns the errors no field took. */
export function showFieldErrors(form, errors) {
  const left = { ...errors };
  for (const element of form.querySelectorAll('[data-error]')) {
    const message = errors[element.dataset.error];
    element.textContent = message ?? '';
    element.hidden = !message;
    delete left[element.dataset.error];
  }
  return left;
}

/** Bytes for people: 1.5 GiB. */
export function bytes(count) {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = count;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${count} bytes` : `${Number(value.toFixed(1))} ${units[unit]}`;
}

/** Follows a task until it ends, reporting its progress; resolves with the ended task. */
export async function follow(id, progress) {
  for (;;) {
    const task = await call('GET', `/tasks/${id}`);
    progress(task);
    if (task.ended) {
      return task;
    }
    await new Promise(resolve => setTimeout(resolve, 250));
  }
}

/** Asks in the page's confirm dialog; resolves true when the user says yes. */
export function confirmed(text, yes) {
  const dialog = document.getElementById('confirm');
  document.getElementById('confirm-text').textContent = text;
  dialog.querySelector('[data-testid="confirm-ok"]').textContent = yes;
  dialog.returnValue = '';
  dialog.showModal();
  return new Promise(resolve => dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true }));
}
