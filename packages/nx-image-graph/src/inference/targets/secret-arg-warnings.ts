import type { TargetConfiguration } from '@nx/devkit';
import { looksLikeCredential, secretArgAdvice } from '../secrets/secret-args';
import { isBuildTarget } from './build-command';
import { settingsOf } from './target-settings';

/** Graph-time warnings: every inferred build whose manifest args name a credential, once per file and arg. */
export function secretArgWarnings(
  projects: { configFile: string; project: { targets?: Record<string, TargetConfiguration> } }[],
): { message: string }[] {
  const seen = new Set<string>();
  const out: { message: string }[] = [];
  for (const p of projects) {
    for (const target of Object.values(p.project.targets ?? {})) {
      if (!isBuildTarget(target)) continue;
      const { args } = settingsOf<{ args?: Record<string, string> }>(target);
      for (const name of Object.keys(args ?? {}).filter(looksLikeCredential)) {
        const message = `${p.configFile}: ${secretArgAdvice(name)}`;
        if (!seen.has(message)) out.push({ message });
        seen.add(message);
      }
    }
  }
  return out;
}
