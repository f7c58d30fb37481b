/**
 * .gitignore rules for folders that are not git working trees (or where git is not installed), so the fallback walk
 * skips what git would: gitignore(5) — blank lines and `#` comments, `!` re-includes, a trailing `/` matches only
 * folders, a `/` at the start or in the middle anchors the pattern to its file's folder (else it matches at any
 * depth), `*` `?` `[…]` within one path segment, `**` across segments. The last matching rule wins; a folder that is
 * ignored is not entered, so nothing under it can be re-included (as in git).
 */
export interface IgnoreRule {
  /** Folder of the .gitignore, relative to the root, '' for the root; with a trailing '/'. */
  base: string;
  negate: boolean;
  dirOnly: boolean;
  regex: RegExp;
}

function escapeRegex(c: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c;
}

/** One glob (no leading '/', no trailing '/') to a regex source over a relative path. */
function globToRegex(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      const atStart = i === 0 || glob[i - 1] === '/';
      const atEnd = i + 2 === glob.length || glob[i + 2] === '/';
      if (atStart && atEnd) {
        // '**/' = zero or more folders; a final '**' = everything inside
        if (i + 2 === glob.length) out += '.*';
        else {
          out += '(?:.*/)?';
          i++; // skip the '/'
        }
        i++;
        continue;
      }
      out += '[^/]*';
      i++;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close === -1) out += '\\[';
      else {
        let body = glob.slice(i + 1, close);
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        out += `[${body.replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else if (c === '\\' && i + 1 < glob.length) {
      out += escapeRegex(glob[++i]);
    } else out += escapeRegex(c);
  }
  return out;
}

/** Parses one .gitignore's text; `base` is its folder relative to the root ('' or 'a/b/'). */
export function parseGitignore(text: string, base: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.replace(/(?<!\\)\s+$/, '');
    if (line === '' || line.startsWith('#')) continue;
    let negate = false;
    if (line.startsWith('!')) {
      negate = true;
      line = line.slice(1);
    } else if (line.startsWith('\\!') || line.startsWith('\\#')) line = line.slice(1);
    const dirOnly = line.endsWith('/');
    if (dirOnly) line = line.replace(/\/+$/, '');
    if (line === '') continue;
    const anchored = line.includes('/');
    if (line.startsWith('/')) line = line.slice(1);
    const body = globToRegex(line);
    const source = anchored ? `^${body}$` : `^(?:.*/)?${body}$`;
    rules.push({ base, negate, dirOnly, regex: new RegExp(source) });
  }
  return rules;
}

/**
 * Whether a path (relative to the root, '/'-separated) is ignored by these rules, in order (shallow .gitignore files
 * first). `isDir` matters for folder-only rules. Callers never ask about paths inside an ignored folder.
 */
export function isIgnored(rules: readonly IgnoreRule[], path: string, isDir: boolean): boolean {
  let ignored = false;
  for (const r of rules) {
    if (r.base && !path.startsWith(r.base)) continue;
    const rel = path.slice(r.base.length);
    if (r.dirOnly && !isDir) continue;
    if (!r.regex.test(rel)) continue;
    ignored = !r.negate;
  }
  return ignored;
}
