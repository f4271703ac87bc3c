import type { ExecutorContext } from '@nx/devkit';
import { DRY_RUN_FOOTER, dryRunCacheWarning } from '../../core/nx/dry-run-hook';
import { imageLabel, recordedImage } from '../../core/image-records/recorded-image';
import { checkName } from './check-name';
import type { ValidateExecutorOptions } from './schema';

/** `--dry-run` of docker-validate: the checks it would run and the exact image it would run them against. */
export function validateDryRun(options: ValidateExecutorOptions, context: ExecutorContext): { success: boolean } {
  const print = (line: string) => process.stdout.write(`${line}\n`);
  const { metadata: m, missing } = recordedImage(context.root, options.metadataFile);
  print(
    `[dry run] ${imageLabel(context.projectName, m?.variant)}: would run ${options.checks.length} check${options.checks.length === 1 ? '' : 's'} against ${m ? m.imageId : 'its build'}`,
  );
  if (missing) print(`  ${missing}`);
  for (const check of options.checks)
    print(`  - ${checkName(check)}${check.type === 'command' && check.gpu ? ' (needs a GPU runtime)' : ''}`);
  print(`  results would go to ${options.resultsFile}`);
  const warning = dryRunCacheWarning();
  if (warning) print(`  ${warning}`);
  print(`  ${DRY_RUN_FOOTER}`);
  return { success: true };
}
