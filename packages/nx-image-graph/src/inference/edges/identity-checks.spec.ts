import { identityProblems } from './identity-checks';

describe('project names and repositories made from directory names', () => {
  it('a name that loses its non-ASCII letters but is still valid: a warning saying how to choose it', () => {
    const r = identityProblems([{ root: 'images/bücher', configFile: 'images/bücher/Dockerfile' }], new Map([['images/bücher', 'b-cher']]));
    expect(r.problems).toEqual([]);
    expect(r.warnings.map((w) => w.message)).toEqual([
      'images/bücher: the directory name "bücher" holds letters a project name cannot hold (only ASCII letters, digits, ".", "_" and "-"), so the image is named "b-cher"; to choose its name, give the image its own in images/bücher/image.json, e.g. { "name": "bucher", "repository": "bucher" }',
    ]);
  });

  it('a declared name that is no repository: an error naming the manifest', () => {
    const r = identityProblems(
      [{ root: 'images/x', configFile: 'images/x/image.json', declaredName: 'Bad_' }],
      new Map([['images/x', 'Bad_']]),
    );
    expect(r.problems.map((p) => p.message)).toEqual([
      'images/x/image.json: the image\'s repository would be "bad_" (its project name, lower-cased), which is not valid; give the image its own in images/x/image.json, e.g. { "name": "x", "repository": "x" }',
    ]);
    expect(r.problems[0].roots).toEqual(['images/x']);
  });

  it('ASCII names, and images that set their own, pass', () => {
    const r = identityProblems(
      [
        { root: 'images/base', configFile: 'images/base/Dockerfile' },
        { root: 'images/größe', configFile: 'images/größe/image.json', declaredName: 'groesse', repository: 'acme/groesse' },
      ],
      new Map([
        ['images/base', 'base'],
        ['images/größe', 'groesse'],
      ]),
    );
    expect(r).toEqual({ problems: [], warnings: [] });
  });
});
