// Import rules of the plugin's sources (docs/architecture.md): no cycles between files or folders,
// and each layer imports only the layers below it. Run by `npm run lint` (and so by CI).
const SRC = '^packages/nx-image-graph/src';
// Lowest first; the entry points (Nx's and the commands') sit above them all.
const LAYERS = ['core', 'inference', 'clients', 'build', 'tools', 'distribution', 'hooks'];
const ENTRIES = ['cli', 'plugins', 'executors', 'generators', 'migrations'];

const layerRules = LAYERS.map((layer, i) => ({
  name: `layer-${layer}`,
  severity: 'error',
  comment: `${layer}/ may import only ${['the layers below it', ...LAYERS.slice(0, i)].join(', ')}: see docs/architecture.md`,
  from: { path: `${SRC}/${layer}/` },
  to: { path: `${SRC}/(${[...LAYERS.slice(i + 1), ...ENTRIES].join('|')})/` },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-file-cycle',
      severity: 'error',
      comment: 'Two files that import each other (directly or through others): move the shared part to a file both import.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-folder-cycle',
      severity: 'error',
      comment: 'Folders that import each other: one of them belongs below the other.',
      scope: 'folder',
      from: {},
      to: { circular: true },
    },
    ...layerRules,
    {
      name: 'entries-not-imported',
      severity: 'error',
      comment: "The entry points (Nx's executors, generators, plugin; the commands) are thin: the layers never import them.",
      from: { path: `${SRC}/(${LAYERS.join('|')})/` },
      to: { path: `${SRC}/(${ENTRIES.join('|')})/` },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Tests and their helpers may reach across layers (a spec of the graph runs the whole inference).
    exclude: { path: '(^|/)dist/|\\.spec\\.ts$|/test-support/' },
    tsPreCompilationDeps: true,
  },
};
