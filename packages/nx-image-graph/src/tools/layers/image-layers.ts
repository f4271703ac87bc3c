import type Docker from 'dockerode';
import { alignSteps, Alignment, Step } from './align-steps';
import { chainIds } from './chain-ids';
import { buildkitStepKind, HistoryEntry, stepKind } from './history-steps';
import { readSavedConfig } from './saved-config';

export interface ImageLayer {
  diffId: string;
  /** The layer with everything beneath it: what the engine stores once and images share. */
  chainId: string;
  size: number;
}

/** How a layer's size was told apart from its neighbours' (see LayerReader). */
export type SizeSource = 'history' | 'intermediate images' | 'buildkit rules' | 'docker save' | 'estimate';

export interface ImageLayers {
  imageId: string;
  /** As `docker images` shows it: the sum of the layers' sizes. */
  size: number;
  layers: ImageLayer[];
  /** False when some steps of size 0 could have made a layer or not and nothing settled which (see `sources`). */
  exact: boolean;
  /** What settled the sizes of the image's own steps, and those of the image it extends. */
  sources: SizeSource[];
}

export interface LayerReaderOptions {
  /** The workspace images each image is built on (from build metadata), by image id. */
  parentsOf?: ReadonlyMap<string, readonly string[]>;
  /** Settle what history leaves open from the image config in `docker save` (slow for big images). */
  resolveWithSave?: boolean;
}

interface RawImage {
  id: string;
  size: number;
  diffIds: string[];
  /** Oldest first. */
  history: HistoryEntry[];
}

/**
 * Layer sizes from the Engine API, exactly, without exporting images.
 *
 * `GET /images/{id}/json` gives the layers (RootFS.Layers, diff ids, bottom first) and the
 * image size; `GET /images/{id}/history` gives one entry per build step with `Size`, which is
 * the DiffSize of the layer the step made (the bytes of its files, what `docker images` adds
 * up) or 0 for a step that made none. Docker walks the config's history to produce it, taking
 * the next layer for each step not marked `empty_layer`, but the API drops that mark: a step of
 * size 0 may have made a layer without file bytes (BuildKit keeps even the empty diff
 * sha256:5f70bf18..., e.g. a WORKDIR whose directory exists; a RUN that only touches an mtime)
 * or none (ENV, CMD, ...). So steps are matched to layers by alignment (align-steps.ts): steps
 * with bytes are layers, metadata steps are not, and the result counts as exact only when every
 * fitting alignment gives each layer the same size. What is left open is settled, in order, by:
 * the parent image (the child's history and layers start with the parent's, so only the child's
 * own steps are aligned to its own layers), intermediate images (the classic builder keeps one
 * per step: its layer count pins the step), BuildKit's rules (RUN/COPY/ADD/WORKDIR always make a
 * layer), and, when asked, `docker save`'s config; else the sizes are an estimate, marked so.
 *
 * Checked on Docker 20.10 (API 1.41) against /system/df: for every image in the engine the
 * bytes of its layers shared with other images equal df's SharedSize, and the bytes of all
 * distinct layers (by chain id) equal df's LayersSize; and against `docker save` configs.
 */
export class LayerReader {
  private readonly raw = new Map<string, Promise<RawImage | undefined>>();
  private readonly read = new Map<string, Promise<ImageLayers | undefined>>();

  constructor(
    private readonly docker: Docker,
    private readonly options: LayerReaderOptions = {},
  ) {}

  /** The image's layers with their sizes; undefined when the engine does not hold the image. */
  layersOf(imageId: string): Promise<ImageLayers | undefined> {
    return this.layersBelow(imageId, new Set());
  }

  /** `above`: the images whose sizes wait for this one, never waited for in turn (a build with no step of its own has its parent's id). */
  private layersBelow(imageId: string, above: ReadonlySet<string>): Promise<ImageLayers | undefined> {
    let p = this.read.get(imageId);
    if (!p) {
      p = this.compute(imageId, new Set([...above, imageId]));
      this.read.set(imageId, p);
    }
    return p;
  }

  private async compute(imageId: string, above: ReadonlySet<string>): Promise<ImageLayers | undefined> {
    const image = await this.rawImage(imageId);
    if (!image) return undefined;
    const chains = chainIds(image.diffIds);
    // The image it extends: a parent whose layers and steps the image's start with (not a COPY --from parent).
    let base: { image: RawImage; layers: ImageLayers } | undefined;
    for (const parentId of this.options.parentsOf?.get(imageId) ?? []) {
      if (above.has(parentId)) continue;
      const parent = await this.rawImage(parentId);
      if (!parent || !extends_(image, parent)) continue;
      const layers = await this.layersBelow(parentId, above);
      if (layers && (!base || parent.diffIds.length > base.image.diffIds.length)) base = { image: parent, layers };
    }
    const fromStep = base?.image.history.length ?? 0;
    const fromLayer = base?.image.diffIds.length ?? 0;
    const baseSizes = base?.layers.layers.map((l) => l.size) ?? [];
    const own = await this.alignOwn(image, fromStep, fromLayer, image.size - baseSizes.reduce((a, b) => a + b, 0));
    const sizes = [...baseSizes, ...own.sizes];
    const sum = sizes.reduce((a, b) => a + b, 0);
    return {
      imageId: image.id,
      size: image.size,
      layers: image.diffIds.map((diffId, i) => ({ diffId, chainId: chains[i], size: sizes[i] })),
      // A history whose sizes do not add up to the image size is not one to trust to the byte.
      exact: own.exact && (base?.layers.exact ?? true) && sum === image.size,
      sources: [...new Set([...(base?.layers.sources ?? []), own.source])],
    };
  }

  /** Sizes of the image's layers from `fromLayer` on, made by its steps from `fromStep` on. */
  private async alignOwn(
    image: RawImage,
    fromStep: number,
    fromLayer: number,
    ownBytes: number,
  ): Promise<{ sizes: number[]; exact: boolean; source: SizeSource }> {
    const history = image.history.slice(fromStep);
    const diffIds = image.diffIds.slice(fromLayer);
    const steps: Step[] = history.map((h) => ({ size: h.Size, kind: stepKind(h) }));
    const first = alignSteps(steps, diffIds);
    if (first?.exact) return { ...first, source: 'history' };

    const anchors = new Map<number, number>();
    for (const [i, h] of history.entries()) {
      if (!/^sha256:/.test(h.Id) || h.Id === image.id) continue;
      const intermediate = await this.rawImage(h.Id);
      if (intermediate && image.diffIds.slice(0, intermediate.diffIds.length).every((d, k) => d === intermediate.diffIds[k]))
        anchors.set(i, intermediate.diffIds.length - fromLayer);
    }
    const pinned = anchors.size ? alignSteps(steps, diffIds, anchors) : undefined;
    if (pinned?.exact) return { ...pinned, source: 'intermediate images' };

    const byRules = alignSteps(
      history.map((h) => ({ size: h.Size, kind: buildkitStepKind(h) })),
      diffIds,
      anchors,
    );
    if (byRules?.exact) return { ...byRules, source: 'buildkit rules' };

    if (this.options.resolveWithSave) {
      const saved = await this.savedAnchors(image, fromStep, fromLayer);
      const fromConfig = saved && alignSteps(steps, diffIds, saved);
      if (fromConfig?.exact) return { ...fromConfig, source: 'docker save' };
    }
    const best: Alignment | undefined = pinned ?? first ?? byRules;
    if (best) return { sizes: best.sizes, exact: false, source: 'estimate' };
    // No alignment at all (a history that does not describe the layers, e.g. none): the bytes on its top layer.
    return { sizes: diffIds.map((_, i) => (i === diffIds.length - 1 ? ownBytes : 0)), exact: false, source: 'estimate' };
  }

  private async savedAnchors(image: RawImage, fromStep: number, fromLayer: number): Promise<Map<number, number> | undefined> {
    const stream = await this.docker.getImage(image.id).get();
    const config = await readSavedConfig(stream, image.id);
    const history = config?.history;
    if (!history || history.length !== image.history.length) return undefined;
    const anchors = new Map<number, number>();
    let layers = 0;
    for (const [i, h] of history.entries()) {
      if (!h.empty_layer) layers++;
      if (i >= fromStep) anchors.set(i - fromStep, layers - fromLayer);
    }
    return anchors;
  }

  private rawImage(id: string): Promise<RawImage | undefined> {
    let p = this.raw.get(id);
    if (!p) {
      p = (async () => {
        const image = this.docker.getImage(id);
        let info: Docker.ImageInspectInfo;
        try {
          info = await image.inspect();
        } catch (e) {
          if ((e as { statusCode?: number }).statusCode === 404) return undefined;
          throw e;
        }
        const history = ((await image.history()) as HistoryEntry[]).slice().reverse();
        return { id: info.Id, size: info.Size, diffIds: info.RootFS.Layers ?? [], history };
      })();
      this.raw.set(id, p);
    }
    return p;
  }
}

/** Whether `image` was built on `parent`: it starts with the parent's layers and the parent's steps. */
function extends_(image: RawImage, parent: RawImage): boolean {
  if (parent.diffIds.length > image.diffIds.length || parent.history.length > image.history.length) return false;
  if (!parent.diffIds.every((d, i) => d === image.diffIds[i])) return false;
  return parent.history.every(
    (h, i) => h.Created === image.history[i].Created && h.CreatedBy === image.history[i].CreatedBy && h.Size === image.history[i].Size,
  );
}
