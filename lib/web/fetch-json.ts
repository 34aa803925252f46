/** The browser's GET of the panel API: a typed body, or an error carrying the API's message. */
class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function fetchJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { credentials: 'same-origin', cache: 'no-store' });
  if (res.status === 401 && typeof window !== 'undefined') {
    window.location.assign(`/login?next=${encodeURIComponent(window.location.pathname)}`);
  }
  const body = (await res.json().catch(() => null)) as {
    error?: { code: string; message: string };
  } | null;
  if (!res.ok) {
    throw new ApiRequestError(
      res.status,
      body?.error?.code ?? 'HTTP',
      body?.error?.message ?? `HTTP ${res.status}`,
    );
  }
  return body as T;
}
