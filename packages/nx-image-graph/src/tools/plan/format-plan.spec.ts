import { formatPlan } from './format-plan';
import type { PlanRow } from '../../build/input-records/plan-row';

const rows: PlanRow[] = [
  { task: 'base:docker-build', hash: '14842281562970583850', status: 'local hit', reasons: [] },
  { task: 'gpu:docker-build-ampere', status: 'miss', reasons: ['images/gpu/requirements.txt changed', 'parent base rebuilds'] },
  { task: 'tool:docker-build', hash: '6645178714519817829', status: 'remote hit', reasons: [] },
];

describe('formatPlan', () => {
  it('one labelled line per image, in the order given, with hash, cache status and why', () => {
    const lines = formatPlan(rows, 'docker-build', 'not configured').split('\n');
    expect(lines[0]).toBe('Plan for docker-build: 3 image builds, parents first (remote cache: not configured)');
    expect(lines[1].split(/\s{2,}/)).toEqual(['task', 'hash', 'cache', 'why']);
    expect(lines[3]).toMatch(/^base:docker-build\s+14842281562970583850\s+local hit$/);
    expect(lines[4]).toMatch(/^gpu:docker-build-ampere\s+-\s+miss\s+because images\/gpu\/requirements\.txt changed, parent base rebuilds$/);
    expect(lines[5]).toMatch(/^tool:docker-build\s+6645178714519817829\s+remote hit$/);
    expect(lines[lines.length - 1]).toBe('3 image builds: 1 miss, 1 remote hit, 1 local hit');
  });

  it('cuts the why column to a width when given one', () => {
    const lines = formatPlan(rows, 'docker-build', 'not configured', 80).split('\n');
    expect(lines[4]).toMatch(/because images\/gpu.*…$/);
    for (const l of lines.slice(1)) expect(l.length).toBeLessThanOrEqual(80);
  });
});
