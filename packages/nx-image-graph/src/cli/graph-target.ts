import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceDataDirectory } from '../core/fs/workspace-data';

/** A target as Nx wrote it to its cached project graph. */
export interface GraphTarget {
  executor?: string;
  options?: Record<string, unknown>;
  cache?: boolean;
  inputs?: unknown[];
  outputs?: string[];
  metadata?: Record<string, unknown>;
}

export class GraphTargetError extends Error {}

/**
 * A target of the graph Nx computed for this run. Nx writes `project-graph.json` before it runs a
 * task, daemon on or off (Nx's own forked executors read the same file, readCachedProjectGraph), so
 * the command reads what the graph computed instead of computing it again.
 */
export function readGraphTarget(root: string, project: string, target: string, env: NodeJS.ProcessEnv = process.env): GraphTarget {
  const file = join(workspaceDataDirectory(root, env), 'project-graph.json');
  let text: Buffer;
  try {
    text = readFileSync(file);
  } catch (e) {
    throw new GraphTargetError(
      `no project graph at ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): Nx writes it before running tasks, unless NX_CACHE_PROJECT_GRAPH=false. ` +
        `Run the build through nx (nx run ${project}:${target}) without NX_CACHE_PROJECT_GRAPH=false`,
    );
  }
  const node = projectNode(text, project);
  const found = node?.data?.targets?.[target];
  if (!found) throw new GraphTargetError(`${file} has no target ${project}:${target}: run it through nx (nx run ${project}:${target})`);
  return found;
}

interface ProjectNode {
  name?: string;
  data?: { targets?: Record<string, GraphTarget> };
}

/**
 * One project's node of the graph file. Nx writes the file with two-space indentation
 * (writeJsonFile), so a node is the lines from `    "<name>": {` to the next `    }` under
 * "nodes", and only those are parsed (a graph of 1000 images is ~8 MB, ~40 ms to parse whole).
 * Any other layout, or a slice that is not that node, and the whole file is parsed.
 */
export function projectNode(text: Buffer, project: string): ProjectNode | undefined {
  const slice = nodeSlice(text, project);
  if (slice) {
    try {
      const node = JSON.parse(slice) as ProjectNode;
      if (node.name === project) return node;
    } catch {
      // Not the layout expected: read it all below.
    }
  }
  return (JSON.parse(text.toString('utf8')) as { nodes?: Record<string, ProjectNode> }).nodes?.[project];
}

function nodeSlice(text: Buffer, project: string): string | undefined {
  const nodes = text.indexOf('\n  "nodes": {\n');
  if (nodes < 0) return undefined;
  // A line with two spaces then "}" closes a top-level value: here, the nodes object.
  const nodesEnd = text.indexOf('\n  }', nodes + 1);
  const key = `\n    ${JSON.stringify(project)}: {\n`;
  const start = text.indexOf(key, nodes);
  if (start < 0 || (nodesEnd >= 0 && start > nodesEnd)) return undefined;
  const open = start + Buffer.byteLength(key) - 2;
  const end = text.indexOf('\n    }', open);
  if (end < 0) return undefined;
  return text.toString('utf8', open, end + '\n    }'.length);
}
