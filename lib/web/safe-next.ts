/**
 * Where to go after sign-in: a path on the panel itself, never another origin (no open
 * redirect). `next` is resolved as a URL the way a browser would — browsers drop tabs and line
 * breaks and read `\` as `/`, so `/\t/evil.example` means `//evil.example` — and kept only if it
 * stays on the panel's origin; what is returned is the normalised path, not the raw text.
 */
const BASE = 'http://panel.invalid';

export function safeNext(next: string | null | undefined): string {
  if (!next || !next.startsWith('/')) return '/';
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return '/';
  }
  if (url.origin !== BASE) return '/';
  return `${url.pathname}${url.search}${url.hash}`;
}
