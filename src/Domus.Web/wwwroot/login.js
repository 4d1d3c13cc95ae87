// The login page: the API token is exchanged for a session cookie (HttpOnly, so no script reads it), then the
// browser goes back to the page that sent it here (a path on this site only).
const form = document.getElementById('login');
const error = document.getElementById('token-error');
const next = new URLSearchParams(location.search).get('next') ?? '/';
const target = next.startsWith('/') && !next.startsWith('//') ? next : '/';

form.addEventListener('submit', async event => {
  event.preventDefault();
  const token = form.elements.token.value.trim();
  if (!token) {
    error.textContent = 'Enter the token.';
    return;
  }
  error.textContent = '';
  const response = await fetch('/api/v1/session', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ token }),
  });
  if (response.ok) {
    location.assign(target);
    return;
  }
  const body = await response.json().catch(() => ({}));
  error.textContent = body.error ?? `domusd answered ${response.status}`;
});
