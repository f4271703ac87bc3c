import { looksLikeCredential } from '../../inference/secrets/secret-args';
import type { CurrentInputs, RecordedInputs } from './recorded-inputs';

/** A parent as a plan sees it: its image id when known, or why not yet (it "rebuilds"). */
export interface PlannedParent {
  project: string;
  /** The parent's own build target: two builds of one project (a devel and a runtime stage) are two parents. */
  target?: string;
  imageId?: string;
  pending?: string;
}
export type PlannedInputs = Omit<CurrentInputs, 'parents'> & { parents: PlannedParent[] };

/** Files named one by one; past that, counted. */
const FILES_NAMED = 3;

/**
 * Why a build's inputs differ from the build recorded before it, one short phrase each: files
 * added, changed or removed (by path), parents' and external bases' image ids (old→new), args
 * (credential-looking ones by name only) and other settings. Empty when nothing the plugin records differs.
 */
export function inputReasons(previous: RecordedInputs | undefined, current: PlannedInputs): string[] {
  if (!previous) return ['no earlier build recorded'];
  const reasons: string[] = [];
  const fileChanges: string[] = [];
  for (const [path, hash] of Object.entries(current.files)) {
    if (!(path in previous.files)) fileChanges.push(`${path} added`);
    else if (previous.files[path] !== hash && sameKind(previous.files[path], hash)) fileChanges.push(`${path} changed`);
  }
  for (const path of Object.keys(previous.files)) if (!(path in current.files)) fileChanges.push(`${path} removed`);
  reasons.push(...fileChanges.slice(0, FILES_NAMED));
  if (fileChanges.length > FILES_NAMED) reasons.push(`${fileChanges.length - FILES_NAMED} more files`);

  // Each parent against the same parent before: same project and same build target (by id, for a record without targets).
  const matched = new Set<(typeof previous.parents)[number]>();
  const label = (p: { project: string; target?: string }, all: { project: string }[]) =>
    p.target && all.filter((q) => q.project === p.project).length > 1 ? `${p.project}:${p.target}` : p.project;
  for (const p of current.parents) {
    const same = previous.parents.filter(
      (q) => !matched.has(q) && q.project === p.project && (q.target === undefined || p.target === undefined || q.target === p.target),
    );
    const before =
      same.find((q) => q.target !== undefined && q.target === p.target) ??
      same.find((q) => q.imageId === p.imageId) ??
      (same.length === 1 ? same[0] : undefined);
    if (before) matched.add(before);
    const name = label(p, current.parents);
    if (p.pending) reasons.push(`parent ${name} ${p.pending}`);
    else if (!before) reasons.push(`parent ${name} added`);
    else if (before.imageId !== p.imageId) reasons.push(`parent ${name} ${shortId(before.imageId)}→${shortId(p.imageId)}`);
  }
  for (const q of previous.parents)
    if (!matched.has(q) && !current.parents.some((p) => p.pending && p.project === q.project))
      reasons.push(`parent ${label(q, previous.parents)} removed`);

  for (const b of current.bases) {
    const before = previous.bases.find((q) => q.reference === b.reference);
    if (!before) reasons.push(`base ${b.reference} added`);
    else if (before.imageId !== b.imageId) reasons.push(`base ${b.reference} ${shortId(before.imageId)}→${shortId(b.imageId)}`);
  }
  for (const q of previous.bases) if (!current.bases.some((b) => b.reference === q.reference)) reasons.push(`base ${q.reference} removed`);

  for (const [name, value] of Object.entries(current.args)) {
    if (!(name in previous.args)) reasons.push(`arg ${name} added`);
    else if (previous.args[name] !== value)
      reasons.push(looksLikeCredential(name) ? `arg ${name} changed` : `arg ${name} ${cut(previous.args[name])}→${cut(value)}`);
  }
  for (const name of Object.keys(previous.args)) if (!(name in current.args)) reasons.push(`arg ${name} removed`);

  if (previous.settings !== current.settings) reasons.push('build settings changed');
  return reasons;
}

/** One line: `because a changed, parent base 1a2b3c4d5e6f→…`. */
export function formatReasons(reasons: string[]): string {
  return reasons.length ? `because ${reasons.join(', ')}` : '';
}

/** The 12 hex digits the build prints for an image id; "absent" when the engine had none. */
export function shortId(id: string | undefined): string {
  return id ? id.replace(/^sha256:/, '').slice(0, 12) : 'absent';
}

function cut(value: string): string {
  return value.length > 24 ? `${value.slice(0, 23)}…` : value === '' ? '""' : value;
}

/** Records before 0.4 hold Nx's file hashes, later ones SHA-256: two of different kinds say nothing of a change. */
function sameKind(a: string, b: string): boolean {
  const sha = /^[0-9a-f]{64}$/;
  return sha.test(a) === sha.test(b);
}
