import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDockerfile } from '../dockerfile';
import { missingContextSources } from './missing-sources';

describe('missingContextSources', () => {
  const ctx = mkdtempSync(join(tmpdir(), 'ctx-'));
  mkdirSync(join(ctx, 'app'));
  writeFileSync(join(ctx, 'app', 'main.sh'), 'echo\n');
  writeFileSync(join(ctx, 'requirements.txt'), '\n');
  writeFileSync(join(ctx, '.env'), 'X=1\n');
  const check = (dockerfile: string, ignore: string[] = []) => missingContextSources(readDockerfile(dockerfile, 'images/x/Dockerfile'), ctx, 'images/x', ignore);

  it('accepts sources that exist, globs, variables and the whole context', () => {
    expect(check('FROM busybox\nCOPY app/ /app/\nCOPY ./requirements.txt /r\nCOPY *.txt /t/\nARG F=x\nCOPY $F /f\nCOPY . /all\n')).toEqual([]);
  });

  it('names the Dockerfile line of a source that is not in the context', () => {
    expect(check('FROM busybox\n\nCOPY scripts/ /s/\n')).toEqual([
      'images/x/Dockerfile:3: COPY source "scripts/" is not in the build context images/x; create it, fix the path, or set the manifest\'s "context"',
    ]);
  });

  it('names a source that .dockerignore excludes', () => {
    expect(check('FROM busybox\nADD .env /x\n', ['.env'])).toEqual([
      'images/x/Dockerfile:2: ADD source ".env" is excluded by .dockerignore in images/x, so the build cannot see it; remove it from .dockerignore or from the Dockerfile',
    ]);
  });

  it('ignores COPY --from sources, which are not in the context', () => {
    expect(check('FROM busybox AS b\nRUN touch /x\nFROM busybox\nCOPY --from=b /nowhere /x\n')).toEqual([]);
  });
});
