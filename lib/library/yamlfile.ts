import { LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { LibraryInvalid, type SourceIssue } from '../errors.js';
import { zodIssuesAt } from '../roster/locate.js';

/**
 * Parse YAML text against a zod schema; every problem is reported at file:line:column. `fail`
 * also gets the parsed document (when it parsed), so a caller can name the entry at fault.
 */
export function parseYamlWith<S extends z.ZodType>(
  text: string,
  file: string,
  schema: S,
  lineOffset = 0,
  fail: (issues: SourceIssue[], parsed?: unknown) => Error = (issues) => new LibraryInvalid(issues),
): { value: z.output<S>; doc: Document; lc: LineCounter } {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: true, uniqueKeys: true });
  const shift = (i: SourceIssue): SourceIssue => ({ ...i, line: i.line + lineOffset });
  if (doc.errors.length) {
    throw fail(
      doc.errors.map((e) =>
        shift({
          file,
          line: e.linePos?.[0].line ?? 1,
          column: e.linePos?.[0].col ?? 1,
          path: '',
          message: e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, ''),
        }),
      ),
    );
  }
  const raw: unknown = doc.toJS();
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw fail(zodIssuesAt(file, doc, lc, parsed.error).map(shift), raw);
  return { value: parsed.data, doc, lc };
}
