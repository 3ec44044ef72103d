import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The project root, whether running from the TypeScript sources or from dist/. */
function findRoot(start: string): string {
  let dir = start;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`package.json not found above ${start}`);
    dir = parent;
  }
  return dir;
}

export const PROJECT_ROOT = findRoot(__dirname);
export const KNOWLEDGE_DIR = join(PROJECT_ROOT, 'knowledge');
export const LOCALES_DIR = join(PROJECT_ROOT, 'locales');
