import { rmSync } from 'node:fs';
import { tempTree } from '../../core/fs/test-support/temp-tree';
import { normalizeOptions } from '../options/plugin-options';
import { inferFromFilesUncached } from '../targets/infer-from-files';
import { readImageManifestLines } from './legacy-image-manifest';

function warningsOf(files: Record<string, string>): string[] {
  const dir = tempTree(files);
  try {
    // Nx hands the plugin only the files its glob matches: never the .image-manifest itself.
    const matched = Object.keys(files).filter((f) => !f.endsWith('.image-manifest'));
    return inferFromFilesUncached(matched, normalizeOptions(undefined), dir).warnings.map((w) => w.message);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const trainer = {
  'Stack/arr-base/Dockerfile': 'FROM busybox:1.36\n',
  'Stack/arr-base/image.json': JSON.stringify({ repository: 'arr/base' }),
  'Stack/arr-trainer/Dockerfile': 'FROM arr/base\nCOPY train.py /train.py\n',
  'Stack/arr-trainer/train.py': 'print(1)\n',
  'ARR_COC/shared.py': 'x = 1\n',
  'ARR_COC/lib/util.py': 'y = 2\n',
};

describe('a .image-manifest that drifted from the manifest', () => {
  it('reads lines with their numbers, without comments and blank lines', () => {
    expect(readImageManifestLines('# inputs\n\n./ARR_COC/shared.py\r\n  Stack/x/Dockerfile \n')).toEqual([
      { line: 3, entry: 'ARR_COC/shared.py' },
      { line: 4, entry: 'Stack/x/Dockerfile' },
    ]);
  });

  it("says nothing when every line is tracked: an input, a copied file, the parent's Dockerfile, the image's own files", () => {
    const w = warningsOf({
      ...trainer,
      'Stack/arr-trainer/image.json': JSON.stringify({ inputs: ['{workspaceRoot}/ARR_COC/shared.py', '{workspaceRoot}/ARR_COC/lib/**'] }),
      'Stack/arr-trainer/.image-manifest':
        '# seed 004\nARR_COC/shared.py\nARR_COC/lib/util.py\nStack/arr-base/Dockerfile\ntrain.py\nStack/arr-trainer/Dockerfile\n',
    });
    expect(w.filter((m) => m.includes('.image-manifest'))).toEqual([]);
  });

  it('names each line whose file would not rebuild the image, with its line number and both ways out', () => {
    const w = warningsOf({
      ...trainer,
      'Stack/arr-trainer/image.json': JSON.stringify({ inputs: ['{workspaceRoot}/ARR_COC/shared.py'] }),
      'Stack/arr-trainer/.image-manifest':
        'ARR_COC/shared.py\n# added after the import\nARR_COC/lib/**\ntools/requirements.txt\n# in the context, never sent: cannot change the image\nStack/arr-trainer/*\n',
    });
    expect(w).toContain(
      [
        'Stack/arr-trainer/.image-manifest: 2 line(s) name files a change of which does not rebuild arr-trainer (the plugin reads Stack/arr-trainer/image.json "inputs", not .image-manifest):',
        '  Stack/arr-trainer/.image-manifest:3: ARR_COC/lib/**',
        '  Stack/arr-trainer/.image-manifest:4: tools/requirements.txt',
        'Run nx g nx-image-graph:import --directory=Stack/arr-trainer to add them to the inputs, or delete Stack/arr-trainer/.image-manifest if the list is out of date.',
      ].join('\n'),
    );
  });

  it('warns for an image never imported (no image.json), and not for a line outside the workspace', () => {
    const w = warningsOf({ ...trainer, 'Stack/arr-trainer/.image-manifest': '/../../etc/passwd\n../../../outside\nARR_COC/shared.py\n' });
    const drift = w.filter((m) => m.includes('.image-manifest'));
    expect(drift).toHaveLength(1);
    expect(drift[0]).toContain('(the plugin reads an image.json "inputs", not .image-manifest)');
    expect(drift[0]).toContain('.image-manifest:3: ARR_COC/shared.py');
    expect(drift[0]).not.toContain('outside');
  });
});
