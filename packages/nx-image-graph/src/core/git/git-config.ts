import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { GitDirs } from './git-dir';

/** The answer could not be read from the files alone (an include, a line continuation): ask git. */
export class NeedsGit extends Error {}

/**
 * `git config --get <section>.<subsection>.<key>` read from the config files git reads (system,
 * global, the repository's, the worktree's), the last value winning as with git. Throws NeedsGit for
 * what this reader does not follow (`[include]`, `[includeIf]`, a value continued on the next line).
 */
export function readGitConfigValue(
  dirs: GitDirs,
  section: string,
  subsection: string,
  key: string,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const home = env.HOME || homedir();
  const files = [
    '/etc/gitconfig',
    join(env.XDG_CONFIG_HOME || join(home, '.config'), 'git', 'config'),
    join(home, '.gitconfig'),
    join(dirs.commonDir, 'config'),
    join(dirs.gitDir, 'config.worktree'),
  ];
  let value: string | undefined;
  for (const file of [...new Set(files)]) {
    if (!existsSync(file)) continue;
    const found = valueIn(readFileSync(file, 'utf8'), section, subsection, key);
    if (found !== undefined) value = found;
  }
  return value;
}

function valueIn(text: string, section: string, subsection: string, key: string): string | undefined {
  let current: { section: string; subsection?: string; caseless?: boolean } | undefined;
  let value: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[\s*([A-Za-z0-9.-]+)(?:\s+"((?:[^"\\]|\\.)*)")?\s*\](.*)$/.exec(line);
    if (header) {
      const name = header[1].toLowerCase();
      if (name === 'include' || name === 'includeif') throw new NeedsGit('include');
      // `[remote.origin]`: the old form, its subsection compared without case.
      const dot = header[2] === undefined ? name.indexOf('.') : -1;
      current =
        dot > 0
          ? { section: name.slice(0, dot), subsection: name.slice(dot + 1), caseless: true }
          : { section: name, subsection: header[2]?.replace(/\\(.)/g, '$1') };
      const rest = header[3].trim();
      if (!rest || rest.startsWith('#') || rest.startsWith(';')) continue;
      line = rest;
    }
    const entry = /^([A-Za-z][A-Za-z0-9-]*)\s*(?:=\s*(.*))?$/.exec(line);
    if (!entry || !current) continue;
    const sameSub = current.caseless ? current.subsection === subsection.toLowerCase() : current.subsection === subsection;
    if (current.section !== section.toLowerCase() || !sameSub || entry[1].toLowerCase() !== key.toLowerCase()) continue;
    value = entry[2] === undefined ? 'true' : unquote(entry[2]);
  }
  return value;
}

/** A value as git reads it: quotes removed, escapes resolved, a comment outside quotes dropped, outer spaces trimmed. */
function unquote(raw: string): string {
  let out = '';
  let quoted = false;
  let pendingSpace = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '\\') {
      if (i === raw.length - 1) throw new NeedsGit('continued line');
      const n = raw[++i];
      out += pendingSpace + (n === 'n' ? '\n' : n === 't' ? '\t' : n === 'b' ? '\b' : n);
      pendingSpace = '';
    } else if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '#' || c === ';')) break;
    else if (!quoted && (c === ' ' || c === '\t')) pendingSpace += out ? c : '';
    else {
      out += pendingSpace + c;
      pendingSpace = '';
    }
  }
  return out;
}
