import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { expectSuccess, TestWorkspace } from './support/test-workspace';

/**
 * Default project names stay put as the tree grows (issue 11, item 8; the seed's
 * stacks/v2/ubuntu/jammy/desktop), and `nx migrate` keeps the names an older workspace had.
 * Graph only: no engine needed.
 */
const files: Record<string, string> = {
  'images/base/Dockerfile': 'FROM busybox:1.36\n',
  'stacks/v2/ubuntu/jammy/desktop/Dockerfile': 'FROM busybox:1.36\n',
};
const V3 = 'stacks/v3/ubuntu/jammy/desktop/Dockerfile';

describe('default project names', () => {
  let ws: TestWorkspace;
  beforeAll(() => {
    ws = TestWorkspace.create('names', files);
  });
  afterAll(() => ws?.remove());

  it.each(['false', 'true'])(
    'are the path below the top-level directory, and a new same-named directory renames nothing (daemon %s)',
    (daemon) => {
      const env = { NX_DAEMON: daemon };
      expect(ws.projects([], env)).toEqual(['base', 'v2-ubuntu-jammy-desktop']);
      ws.write({ [V3]: 'FROM busybox:1.36\n' });
      const grown = ws.nx(['show', 'projects'], env);
      expectSuccess(grown);
      expect(ws.projects([], env)).toEqual(['base', 'v2-ubuntu-jammy-desktop', 'v3-ubuntu-jammy-desktop']);
      // Nothing was lengthened, so there is nothing to warn about.
      expect(grown.output).not.toContain('lengthened');
      rmSync(join(ws.dir, 'stacks/v3'), { recursive: true });
      if (daemon === 'true') expectSuccess(ws.nx(['daemon', '--stop']));
    },
  );

  it('nx migrate pins the names a workspace had before 0.3.0 ("directory"), and says so', () => {
    ws.write({
      'migrations.json': JSON.stringify({
        migrations: [{ package: 'nx-image-graph', name: 'pin-directory-project-names', version: '0.3.0' }],
      }),
    });
    // The machine is offline: run the workspace's own nx (not a temporary nx@latest) and skip the install.
    const r = ws.nx(['migrate', '--run-migrations=migrations.json'], { NX_MIGRATE_USE_LOCAL: 'true', NX_MIGRATE_SKIP_INSTALL: 'true' });
    expectSuccess(r);
    expect(r.output).toContain(
      'set "projectNames": "directory" in nx.json so that 1 image project keeps its name (stacks/v2/ubuntu/jammy/desktop: desktop (would be v2-ubuntu-jammy-desktop))',
    );
    expect(JSON.parse(ws.read('nx.json')).plugins).toEqual([{ plugin: 'nx-image-graph', options: { projectNames: 'directory' } }]);
    expect(ws.projects()).toEqual(['base', 'desktop']);
  });
});
