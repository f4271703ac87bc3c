import { fromConfigText, toConfigText } from './config-text';

// Nx's own normalization of a target's options, as the graph applies it to every target.
const { resolveNxTokensInOptions } = require('nx/src/devkit-internals') as {
  resolveNxTokensInOptions: (o: object, p: { root: string; name: string }, key: string) => Record<string, unknown>;
};

describe('text in target options, safe from Nx tokens', () => {
  const project = { root: 'images/bad', name: 'bad' };
  const texts = [
    'images/bad/image.json: "inputs"[0] "{workspaceRoot}/../secrets" is outside the workspace',
    'use {variant}, {args.NAME}, {git.sha}, {date:FORMAT}, {hash} or {projectName}; root {projectRoot}, {options.x}, {env.HOME}',
    'a literal {\u200Bspace} and {{double}} braces',
    'no braces at all',
  ];

  it.each(texts)('passes Nx unchanged and reads back exactly: %s', (text) => {
    const resolved = resolveNxTokensInOptions({ messages: [toConfigText(text)] }, project, 'images/bad:docker-build') as {
      messages: string[];
    };
    expect(resolved.messages[0]).toBe(toConfigText(text));
    expect(fromConfigText(resolved.messages[0])).toBe(text);
  });

  it('without it, Nx would change the text or refuse the graph', () => {
    expect(() => resolveNxTokensInOptions({ m: texts[0] }, project, 'k')).toThrow(
      'The {workspaceRoot} token is only valid at the beginning of an option',
    );
    expect((resolveNxTokensInOptions({ m: texts[1] }, project, 'k') as { m: string }).m).toContain('{hash} or bad; root images/bad');
  });
});
