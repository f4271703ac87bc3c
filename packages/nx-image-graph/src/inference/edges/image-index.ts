import leven from 'leven';
import { normalizeRepository, parseImageReference } from '../dockerfile';
import { expandTagTemplate } from '../tags/tag-template';
import { tagTemplatePattern } from './tag-pattern';
import { expandArgTemplates, hasBuildTimePlaceholder } from '../tags/arg-templates';

/** A build target other images can be built on. */
export interface BuildNode {
  project: string;
  targetName: string;
  variant?: string;
  repository: string;
  /** Tags known before the build (templates over variant, args and project name). */
  staticTags: string[];
  /** Tags only a build can fill in (git sha, date, hash), as the patterns of what they can give. */
  tagPatterns: RegExp[];
  /** The templates, for messages. */
  templates: string[];
  /** The templates a build fills in, with what is known now filled: a reference may name one as it stands (`base:sha-{git.sha}`). */
  pendingTemplates?: string[];
  /** Set when the image cannot be built; its tags may then be unknown (`anyTag`). */
  broken?: boolean;
  anyTag?: boolean;
}

export type Resolution =
  | { kind: 'workspace'; node: BuildNode }
  | { kind: 'external'; reference: string; note?: string }
  | { kind: 'ambiguous'; nodes: BuildNode[] }
  | { kind: 'invalid'; reference: string }
  /** The repository is built in the workspace, but no build of it gives this tag. */
  | { kind: 'unknown-tag'; reference: string; tag: string; candidates: BuildNode[] };

/** Finds which workspace build a Dockerfile reference names. */
export class ImageIndex {
  private readonly byRepository = new Map<string, BuildNode[]>();
  private readonly nearMisses = new Map<string, string | undefined>();

  constructor(
    nodes: BuildNode[],
    private readonly ignoredOwners: string[] = [],
  ) {
    for (const node of nodes) {
      const key = this.key(node.repository);
      this.byRepository.set(key, [...(this.byRepository.get(key) ?? []), node]);
    }
  }

  static tagsOf(
    templates: string[],
    ctx: { variant?: string; args: Record<string, string>; projectName: string },
  ): { staticTags: string[]; tagPatterns: RegExp[]; templates: string[]; pendingTemplates: string[] } {
    const staticTags: string[] = [];
    const tagPatterns: RegExp[] = [];
    const pendingTemplates: string[] = [];
    for (const t of templates) {
      let tag: string | undefined;
      try {
        tag = expandTagTemplate(t, ctx);
      } catch {
        continue; // a bad template is the image's own problem, reported where its tags are checked
      }
      if (tag !== undefined) staticTags.push(tag);
      else {
        const pattern = tagTemplatePattern(t, ctx);
        if (pattern) tagPatterns.push(pattern);
        pendingTemplates.push(expandArgTemplates({ t }, ctx, { dynamic: false }).t);
      }
    }
    return { staticTags, tagPatterns, templates, pendingTemplates };
  }

  /** The tags known before a build, and whether some template needs a build's values (for generators' messages). */
  static staticTags(
    templates: string[],
    ctx: { variant?: string; args: Record<string, string>; projectName: string },
  ): { tags: string[]; dynamic: boolean } {
    const t = ImageIndex.tagsOf(templates, ctx);
    return { tags: t.staticTags, dynamic: t.staticTags.length < templates.length };
  }

  resolve(reference: string): Resolution {
    if (hasBuildTimePlaceholder(reference)) return this.resolvePending(reference);
    const ref = parseImageReference(reference);
    if (!ref) return { kind: 'invalid', reference };
    const candidates = this.byRepository.get(this.key(ref.repository, ref.registry)) ?? [];
    if (candidates.length === 0) return { kind: 'external', reference };
    // A digest pins a published image: building the workspace one would not give those bytes.
    if (ref.digest) return { kind: 'external', reference, note: `pinned by digest; not built from the workspace` };
    const tag = ref.tag ?? 'latest';
    const matches = (c: BuildNode) => c.staticTags.includes(tag) || c.tagPatterns.some((p) => p.test(tag));
    const exact = candidates.filter((c) => c.staticTags.includes(tag));
    const found = exact.length ? exact : candidates.filter(matches);
    if (found.length === 1) return { kind: 'workspace', node: found[0] };
    if (found.length > 1) return { kind: 'ambiguous', nodes: found };
    // A broken image whose tags could not be read still owns its repository: the edge stays.
    const unknown = candidates.filter((c) => c.anyTag);
    if (unknown.length === 1) return { kind: 'workspace', node: unknown[0] };
    if (unknown.length > 1) return { kind: 'ambiguous', nodes: unknown };
    return { kind: 'unknown-tag', reference, tag, candidates };
  }

  /** A reference made from a templated build arg (`acme/base:sha-{git.sha}`): it names the build whose tag template reads the same. */
  private resolvePending(reference: string): Resolution {
    const colon = reference.lastIndexOf(':');
    const slash = reference.lastIndexOf('/');
    const tag = colon > slash ? reference.slice(colon + 1) : 'latest';
    const ref = parseImageReference(reference.replace(/\{[^{}]*\}/g, 'x'));
    if (!ref) return { kind: 'invalid', reference };
    const candidates = this.byRepository.get(this.key(ref.repository, ref.registry)) ?? [];
    if (candidates.length === 0) return { kind: 'invalid', reference };
    const found = candidates.filter((c) => c.pendingTemplates?.includes(tag));
    if (found.length === 1) return { kind: 'workspace', node: found[0] };
    if (found.length > 1) return { kind: 'ambiguous', nodes: found };
    return { kind: 'unknown-tag', reference, tag, candidates };
  }

  /** A workspace repository one or two edits from this external reference's (`arr-ml-stak` for `arr-ml-stack`). */
  nearMiss(reference: string): string | undefined {
    const ref = parseImageReference(reference);
    if (!ref) return undefined;
    const key = this.key(ref.repository, ref.registry);
    if (this.nearMisses.has(key)) return this.nearMisses.get(key);
    let best: { repo: string; distance: number } | undefined;
    for (const [repo, nodes] of this.byRepository) {
      // Short names are too close to everything (`node` and `nodes`): only names of some length count.
      if (Math.abs(repo.length - key.length) > 2 || repo.length < 5) continue;
      const distance = leven(repo, key);
      if (distance > 0 && distance <= 2 && (!best || distance < best.distance)) best = { repo: nodes[0].repository, distance };
    }
    this.nearMisses.set(key, best?.repo);
    return best?.repo;
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

/** The tags a reference could have meant, closest first, for "did you mean". */
export function closestTags(tag: string, candidates: BuildNode[]): string[] {
  const tags = [...new Set(candidates.flatMap((c) => [...c.staticTags, ...c.templates.filter((t) => t.includes('{'))]))];
  return tags.sort((a, b) => leven(tag, a) - leven(tag, b) || a.localeCompare(b));
}
