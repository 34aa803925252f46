/**
 * Rows from hand-written statements (data-modifying CTEs that drizzle's builders cannot express)
 * come back with SQL column names and driver-shaped values; map them onto the table's select
 * model with drizzle's own column decoders, so both drivers give the same values.
 */
import { getTableColumns, type InferSelectModel, type Table } from 'drizzle-orm';

export function fromRaw<T extends Table>(
  table: T,
  raw: Record<string, unknown>,
): InferSelectModel<T> {
  const out: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    const value = raw[column.name];
    out[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return out as InferSelectModel<T>;
}

/** A text[] from either driver (both parse arrays; be lenient about a null). */
export function textArray(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}
