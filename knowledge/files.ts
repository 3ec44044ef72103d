import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';

export class KnowledgeError extends Error {}

/** Reads and validates one data file; a broken file names itself and the first bad field. */
export function parseFile<S extends z.ZodTypeAny>(dir: string, name: string, schema: S): z.infer<S> {
  const file = join(dir, name);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new KnowledgeError(`${file}: cannot be read as JSON (${(err as Error).message})`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new KnowledgeError(`${file}: field "${issue.path.join('.')}" ${issue.message}`);
  }
  return parsed.data;
}
