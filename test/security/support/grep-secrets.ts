import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The ways a secret could sit in bytes: as text (UTF-8, UTF-16), base64, URL-encoded, hex. */
export function encodingsOf(secret: string): Buffer[] {
  return [
    Buffer.from(secret, 'utf8'),
    Buffer.from(secret, 'utf16le'),
    Buffer.from(Buffer.from(secret).toString('base64')),
    Buffer.from(Buffer.from(secret).toString('base64url')),
    Buffer.from(encodeURIComponent(secret)),
    Buffer.from(Buffer.from(secret).toString('hex')),
  ];
}

export function allFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const p = join(dir, entry);
    if (statSync(p).isDirectory()) out.push(...allFiles(p));
    else out.push(p);
  }
  return out;
}

/** Every `file: encoding #n` where `secret` occurs in any file under `dir` (database, WAL, shm, JSON, anything). */
export function grepDir(dir: string, secret: string): string[] {
  const needles = encodingsOf(secret);
  const hits: string[] = [];
  for (const file of allFiles(dir)) {
    const bytes = readFileSync(file);
    needles.forEach((n, i) => {
      if (bytes.includes(n)) hits.push(`${file}: encoding #${i}`);
    });
  }
  return hits;
}
