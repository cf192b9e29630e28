/** File permission checks for the local data directory (issue #10, L3). */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** Every path under `root` (itself included) whose mode lets anyone but the owner in, as "mode path". */
export function looseEntries(root: string): string[] {
  const loose: string[] = [];
  const walk = (entry: string) => {
    const stat = statSync(entry);
    if (stat.mode & 0o077) loose.push(`${(stat.mode & 0o777).toString(8)} ${path.relative(root, entry) || '.'}`);
    if (stat.isDirectory()) for (const name of readdirSync(entry)) walk(path.join(entry, name));
  };
  walk(root);
  return loose;
}
