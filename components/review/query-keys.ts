/**
 * TanStack Query keys of reviews (one factory per resource, as lib/web/query-keys.ts keeps the
 * others). `stamp` is the card's `updated_at`: when the board sees the card change, its review is
 * read again.
 */
export const reviewKeys = {
  all: ['review'] as const,
  show: (id: string, stamp: string) => [...reviewKeys.all, 'show', id, stamp] as const,
};
