import { formatBytes } from '../../core/text/format-units';
import type { BuildContextFiles } from './build-context';

/** What the user should hear about the context sent: files left out of it, and a size worth cutting. */
export function contextWarnings(sent: BuildContextFiles, context: string, contextWarnMB = 200): string[] {
  const warnings: string[] = [];
  if (sent.special.length) {
    const shown = sent.special.slice(0, 5).map((s) => `${s.path} (${s.kind})`);
    warnings.push(
      `the build context ${context} holds ${sent.special.length === 1 ? 'a file that is' : 'files that are'} not regular: ${shown.join(', ')}${sent.special.length > 5 ? ` and ${sent.special.length - 5} more` : ''}; ` +
        `no build context can carry ${sent.special.length === 1 ? 'it, so it was' : 'them, so they were'} left out (a COPY of ${sent.special.length === 1 ? 'it' : 'one'} fails as "not found"). ` +
        'Remove them, or list them in .dockerignore',
    );
  }
  const warnAt = contextWarnMB * 1e6;
  if (sent.bytes > warnAt) {
    warnings.push(
      `the build context ${context} sends ${formatBytes(sent.bytes)} to the engine (over ${formatBytes(warnAt)}): ` +
        `${sent.largest
          .slice(0, 3)
          .map((d) => `${d.path} ${formatBytes(d.bytes)}`)
          .join(', ')}. ` +
        `Exclude what the build does not need in .dockerignore, or copy narrower paths than "COPY . ."`,
    );
  }
  return warnings;
}
