import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/**
 * Writes `data` to `file` so that a crash leaves either the old or the new content, never
 * a torn file: write a temp file in `tmpDir` (same filesystem), rename it over the target.
 * With `sync` (the default) the temp file and the directory are fsynced too, so the write
 * also survives a power loss; without it, it survives a crash of the process (the page cache
 * outlives the process), at a fraction of the cost: for state written on every turn.
 */
export async function writeFileAtomic(file: string, data: string, tmpDir: string, sync = true): Promise<void> {
  const tmp = path.join(tmpDir, `${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  if (!sync) {
    await fs.writeFile(tmp, data, 'utf8');
    try {
      await fs.rename(tmp, file);
    } catch (err) {
      await fs.rm(tmp, { force: true });
      throw err;
    }
    return;
  }
  const handle = await fs.open(tmp, 'w');
  try {
    await handle.writeFile(data, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
  await fsyncDir(path.dirname(file));
}

export async function fsyncDir(dir: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch {
    // Some platforms (Windows) cannot fsync a directory; the rename is still atomic there.
  } finally {
    await handle?.close();
  }
}

/**
 * Removes temp files left behind by a crash between write and rename. Only old ones: a
 * younger temp file may belong to a write in flight from another instance.
 */
export async function clearStaleTmpFiles(tmpDir: string, olderThanMs = 60_000): Promise<void> {
  await fs.mkdir(tmpDir, { recursive: true });
  const cutoff = Date.now() - olderThanMs;
  for (const name of await fs.readdir(tmpDir)) {
    if (!name.endsWith('.tmp')) continue;
    const file = path.join(tmpDir, name);
    const stat = await fs.stat(file).catch(() => undefined);
    if (stat && stat.mtimeMs < cutoff) await fs.rm(file, { force: true });
  }
}
