import { normalizeRepository, parseImageReference } from '../dockerfile';
import { expandTagTemplate } from '../tags/tag-template';

/** A build target other images can be built on. */
export interface BuildNode {
  project: string;
  targetName: string;
  variant?: string;
  repository: string;
  /** Tags known before the build (templates over variant, args and project name). */
  staticTags: string[];
  /** Some tag templates need values only a build knows (git sha, date, hash). */
  hasDynamicTags: boolean;
}

export type Resolution =
  | { kind: 'workspace'; node: BuildNode }
  | { kind: 'external'; reference: string; note?: string }
  | { kind: 'ambiguous'; nodes: BuildNode[] }
  | { kind: 'invalid'; reference: string };

/** Finds which workspace build a Dockerfile reference names. */
export class ImageIndex {
  private readonly byRepository = new Map<string, BuildNode[]>();

  constructor(nodes: BuildNode[], private readonly ignoredOwners: string[] = []) {
    for (const node of nodes) {
      const key = this.key(node.repository);
      this.byRepository.set(key, [...(this.byRepository.get(key) ?? []), node]);
    }
  }

  static staticTags(templates: string[], ctx: { variant?: string; args: Record<string, string>; projectName: string }): { tags: string[]; dynamic: boolean } {
    const tags: string[] = [];
    let dynamic = false;
    for (const t of templates) {
      const tag = expandTagTemplate(t, ctx);
      if (tag === undefined) dynamic = true;
      else tags.push(tag);
    }
    return { tags, dynamic };
  }

  resolve(reference: string): Resolution {
    const ref = parseImageReference(reference);
    if (!ref) return { kind: 'invalid', reference };
    const candidates = this.byRepository.get(this.key(ref.repository, ref.registry)) ?? [];
    if (candidates.length === 0) return { kind: 'external', reference };
    // A digest pins a published image: building the workspace one would not give those bytes.
    if (ref.digest) return { kind: 'external', reference, note: `pinned by digest; not built from the workspace` };
    const tag = ref.tag ?? 'latest';
    const exact = candidates.filter((c) => c.staticTags.includes(tag));
    if (exact.length === 1) return { kind: 'workspace', node: exact[0] };
    if (exact.length > 1) return { kind: 'ambiguous', nodes: exact };
    const dynamic = candidates.filter((c) => c.hasDynamicTags);
    if (dynamic.length === 1) return { kind: 'workspace', node: dynamic[0] };
    if (dynamic.length > 1) return { kind: 'ambiguous', nodes: dynamic };
    const known = candidates.map((c) => `${c.project}${c.variant ? ` (${c.variant})` : ''}: ${c.staticTags.join(', ')}`).join('; ');
    return { kind: 'external', reference, note: `repository is built in the workspace, but no build has tag "${tag}" (${known}); treated as an external image` };
  }

  /** Registry hosts never count: `ghcr.io/acme/base` and `acme/base` name the same workspace image. */
  private key(repository: string, _registry?: string): string {
    const parsed = parseImageReference(repository);
    let repo = normalizeRepository(parsed?.repository ?? repository);
    for (const owner of this.ignoredOwners) {
      if (repo.startsWith(`${owner}/`)) repo = repo.slice(owner.length + 1);
    }
    return repo;
  }
}
