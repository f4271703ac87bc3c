/** One entry of `GET /images/{id}/history`, oldest first once reversed. */
export interface HistoryEntry {
  Id: string;
  Created: number;
  CreatedBy: string;
  Size: number;
  Comment: string;
  Tags?: string[] | null;
}

/**
 * Whether a history step made a layer: 'layer' and 'empty' are certain, 'either' is a step of
 * size 0 that may have made a layer with no file bytes (a new directory, an mtime) or none.
 * The Engine API's history has no `empty_layer` flag (the image config has it, the API drops it).
 */
export type StepKind = 'layer' | 'empty' | 'either';

/** Instructions that only change the image config: no builder makes a layer for them. */
const METADATA_ONLY = new Set([
  'ENV',
  'ARG',
  'CMD',
  'ENTRYPOINT',
  'LABEL',
  'EXPOSE',
  'USER',
  'VOLUME',
  'STOPSIGNAL',
  'HEALTHCHECK',
  'SHELL',
  'ONBUILD',
  'MAINTAINER',
]);
const NOP = /^\/bin\/sh -c #\(nop\)\s*/;

export function stepKind(entry: Pick<HistoryEntry, 'CreatedBy' | 'Size'>): StepKind {
  // Only a layer has bytes: history sizes are the layers' DiffSize, an empty step has none.
  if (entry.Size > 0) return 'layer';
  const instruction = instructionOf(entry.CreatedBy);
  return instruction && METADATA_ONLY.has(instruction) ? 'empty' : 'either';
}

/**
 * What BuildKit's Dockerfile frontend does with a step of size 0: RUN, COPY and ADD always make
 * a layer, WORKDIR makes one (a mkdir, often the empty diff) unless it is `/`. Checked on Docker
 * 20.10: `WORKDIR /app` twice gives two layers, the second the empty diff; `RUN true` a layer.
 * The classic builder drops empty diffs instead, so for its steps there is no such rule.
 */
export function buildkitStepKind(entry: Pick<HistoryEntry, 'CreatedBy' | 'Size' | 'Comment'>): StepKind {
  const kind = stepKind(entry);
  if (kind !== 'either' || !/^buildkit\.dockerfile/.test(entry.Comment ?? '')) return kind;
  const instruction = instructionOf(entry.CreatedBy);
  if (instruction === 'RUN' || instruction === 'COPY' || instruction === 'ADD') return 'layer';
  if (instruction === 'WORKDIR') return entry.CreatedBy.trim() === 'WORKDIR /' ? 'empty' : 'layer';
  return kind;
}

/** The Dockerfile instruction a step records: BuildKit writes it first (`ENV A=1`), the classic builder after `#(nop)`. */
export function instructionOf(createdBy: string): string | undefined {
  const text = NOP.test(createdBy) ? createdBy.replace(NOP, '') : createdBy;
  // A classic RUN is recorded as its command (`/bin/sh -c ...`, `|1 A=b /bin/sh -c ...`): no instruction word.
  return /^([A-Z]+)(\s|$)/.exec(text)?.[1];
}
