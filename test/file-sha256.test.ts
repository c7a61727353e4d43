import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileSha256 } from '../src/file-sha256.js';

const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

describe('fileSha256 (digest remembered across runs while the file is the same file)', () => {
  it('remembers the digest in node_modules/.cache and never serves it for a rewritten file', () => {
    const root = mkdtempSync(join(tmpdir(), 'plinth-sha-'));
    const dir = join(root, 'node_modules', 'pkg', 'lib');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'layer.zip');
    writeFileSync(file, 'first contents');
    expect(fileSha256(file)).toBe(sha('first contents'));
    const cacheFile = join(root, 'node_modules', '.cache', 'plinth', 'file-sha256.json');
    expect(existsSync(cacheFile)).toBe(true);
    expect(JSON.parse(readFileSync(cacheFile, 'utf8'))[file].sha256).toBe(sha('first contents'));
    expect(fileSha256(file)).toBe(sha('first contents'));
    // Same size, new bytes: the ctime (and mtime) changed, so the remembered digest is not used.
    writeFileSync(file, 'other contents');
    expect(fileSha256(file)).toBe(sha('other contents'));
  });

  it('uses a remembered digest only when its key matches (a planted digest for another key is ignored)', () => {
    const root = mkdtempSync(join(tmpdir(), 'plinth-sha-'));
    const file = join(root, 'node_modules', 'a.zip');
    mkdirSync(join(root, 'node_modules', '.cache', 'plinth'), { recursive: true });
    writeFileSync(file, 'bytes');
    writeFileSync(join(root, 'node_modules', '.cache', 'plinth', 'file-sha256.json'), JSON.stringify({ [file]: { key: '0:0:5:0:0', sha256: 'f'.repeat(64) } }));
    expect(fileSha256(file)).toBe(sha('bytes'));
  });

  it('hashes without a cache outside node_modules', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'plinth-sha-')), 'x.bin');
    writeFileSync(file, 'x');
    expect(fileSha256(file)).toBe(sha('x'));
  });
});
