import { buildFilePaths, extraInputFiles, fileHashes } from './file-hashes';
import { inputReasons } from './input-diff';
import { CurrentInputs, recordedArgs, RecordedInputs, settingsDigest } from './recorded-inputs';

export interface BuildFacts {
  context: string;
  dockerfile: string;
  /** The context files sent (or that would be sent), context-relative. */
  contextFiles: string[];
  onBuildContext: boolean;
  /** `target`: the parent's own build target (an image may be built on two builds of one project). */
  parents: { project: string; target?: string; imageId: string }[];
  bases: { reference: string; imageId?: string }[];
  /** Args as given: the manifest's and the command line's, templates unexpanded (as Nx hashes them). */
  args: Record<string, string>;
  /** The build's settings (see settingsDigest). */
  options: object;
  nxHash?: string;
}

/** What a finished build records of its inputs, with why it ran compared with the record before it. */
export function buildRecord(root: string, facts: BuildFacts, previous: RecordedInputs | undefined): RecordedInputs {
  const current = recordedFacts(root, facts);
  return {
    schemaVersion: 1,
    ...(facts.nxHash ? { nxHash: facts.nxHash } : {}),
    ...(previous?.nxHash ? { previousNxHash: previous.nxHash } : {}),
    ...current,
    why: inputReasons(previous, current),
  };
}

/** A build's inputs as its record holds them (no hashes of Nx's, no reasons). */
export function recordedFacts(root: string, facts: Omit<BuildFacts, 'nxHash'>): CurrentInputs {
  return {
    files: fileHashes(root, [
      ...buildFilePaths(facts.context, facts.dockerfile, facts.contextFiles),
      ...extraInputFiles(root, (facts.options as { inputs?: string[] }).inputs),
    ]),
    ...(facts.onBuildContext ? { onBuildContext: true } : {}),
    parents: facts.parents.map((p) => ({ project: p.project, ...(p.target ? { target: p.target } : {}), imageId: p.imageId })),
    bases: facts.bases,
    args: recordedArgs(facts.args),
    settings: settingsDigest(facts.options),
  };
}
