/**
 * SHA-256 of a large file that never changes between runs (a package's asset inside node_modules, e.g. the
 * 37 MB kubectl layer zip the bastion checks), remembered across processes: hashing it cost about a quarter
 * of a second of every synth (issue 12). The remembered digest is used only while the file is the very same
 * file (device, inode, size, mtime and ctime all equal; ctime cannot be set back by a user, so any rewrite
 * of the file, even one restoring its mtime, invalidates it). The cache lives in the `node_modules/.cache`
 * above the file, as other tools' caches do; where that cannot be read or written (a read-only install) the
 * file is simply hashed. Either way the digest, and so the output, is the same.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

interface Entry { readonly key: string; readonly sha256: string }

export function fileSha256(path: string): string {
  const stat = statSync(path, { bigint: true });
  const key = [stat.dev, stat.ino, stat.size, stat.mtimeNs, stat.ctimeNs].join(':');
  const cacheFile = cachePathFor(path);
  const cache = cacheFile ? readCache(cacheFile) : {};
  const hit = cache[path];
  if (hit?.key === key && /^[0-9a-f]{64}$/.test(hit.sha256)) return hit.sha256;
  const sha256 = createHash('sha256').update(readFileSync(path)).digest('hex');
  if (cacheFile) writeCache(cacheFile, { ...cache, [path]: { key, sha256 } });
  return sha256;
}

/** node_modules/.cache/plinth/file-sha256.json in the nearest node_modules above PATH, if there is one. */
function cachePathFor(path: string): string | undefined {
  for (let dir = dirname(path); dir !== dirname(dir); dir = dirname(dir)) {
    if (basename(dir) === 'node_modules') return join(dir, '.cache', 'plinth', 'file-sha256.json');
  }
  return undefined;
}

function readCache(file: string): Record<string, Entry> {
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, Entry>) : {};
  } catch {
    return {};
  }
}

/** Written whole to a temporary file and renamed, so a concurrent reader sees the old or the new cache. */
function writeCache(file: string, cache: Record<string, Entry>): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(cache));
    renameSync(tmp, file);
  } catch {
    // A read-only install: hash every time.
  }
}
