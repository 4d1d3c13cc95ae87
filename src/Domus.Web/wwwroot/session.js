// Every page's way to the API: a 401 (a browser on another host, not logged in or its session over) leads to the
// login page, which comes back here afterwards.
export async function apiFetch(path, options = {}) {
  const response = await fetch(path, options);
  if (response.status === 401) {
    location.assign(`/login.html?next=${encodeURIComponent(location.pathname + location.search)}`);
    throw new Error('log in first');
  }
  return response;
}
