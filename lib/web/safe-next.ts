/** Only a path on this site: never an absolute or protocol-relative URL (no open redirect after sign-in). */
export function safeNext(next: string | null | undefined): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\')
    ? next
    : '/';
}
