import type { ImageDependency } from '../dockerfile';
import type { Producer } from '../workspace/copy-producers';
import type { ImageDefinition, BuildDefinition } from './image-definition';

/** A parent build a build depends on, found from a Dockerfile reference. */
export interface ParentEdge {
  reference: string;
  line: number;
  kind: ImageDependency['kind'] | 'stage';
  project: string;
  targetName: string;
  variant?: string;
  /** For kind `stage`: the stage of this Dockerfile that another image builds, replaced by that image. */
  stage?: string;
}

/** An image reference outside the workspace (a base image to pull). */
export interface ExternalReference {
  reference: string;
  line: number;
  note?: string;
}

/** A build placed in the graph: what it is built on. */
export interface ResolvedBuild extends BuildDefinition {
  targetName: string;
  parents: ParentEdge[];
  externals: ExternalReference[];
  /** Tasks of the workspace whose outputs it copies (set once the graph is placed among them). */
  producers: Producer[];
}

/** An image project: its definition, its name and its resolved builds. */
export interface ImageProject {
  name: string;
  definition: ImageDefinition;
  repository: string;
  builds: ResolvedBuild[];
}
