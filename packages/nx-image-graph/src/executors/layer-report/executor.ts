import { ExecutorContext, readCachedProjectGraph } from '@nx/devkit';
import { executorSettings } from '../../inference/targets/target-settings';
import { refuseUnknownOptions } from '../../hooks/unknown-options/unknown-options';
import { join } from 'node:path';
import { connectEngine, EngineInfo } from '../../clients/engine/engine-client';
import { formatLayerReport } from '../../tools/layers/format-layer-report';
import { ImageLayers, LayerReader } from '../../tools/layers/image-layers';
import { layerReport, ReportImage } from '../../tools/layers/layer-report';
import { ImageMetadata, readImageMetadata } from '../../core/image-records/image-metadata';
import type { LayerReportExecutorOptions } from './schema';
import { BuildTarget, buildTargetsOf, labelOf, selectBuilds } from './select-builds';
import { writeJsonAtomic } from '../../core/fs/write-atomic';

export const DEFAULT_OUTPUT_FILE = 'dist/image-layers.json';

/**
 * docker-layers: how much disk the built images of the graph take, from the engine's own layer
 * data (see layers/image-layers.ts). Reads the images the builds recorded (metadata), not tags,
 * so it reports exactly what was built; images not built yet or not in the engine are named,
 * with the command that fixes it. Prints a table and writes the same as JSON.
 */
export default async function layerReportExecutor(
  options: LayerReportExecutorOptions,
  context: ExecutorContext,
): Promise<{ success: boolean }> {
  const refused = refuseUnknownOptions('layer-report', options, context);
  if (refused) return refused;
  // Inferred targets keep their settings in metadata (see graph/target-settings.ts).
  options = executorSettings(options, context).settings;
  const fail = (message: string) => {
    process.stderr.write(`\n✖ ${context.projectName ?? 'layer report'}: ${message}\n`);
    return { success: false };
  };
  const all = buildTargetsOf(readCachedProjectGraph());
  const { selected, unknown } = selectBuilds(all, options.projects, options.ancestors);
  if (unknown.length) {
    return fail(
      `no image build matches ${unknown.map((u) => `"${u}"`).join(', ')} (\`projects\` takes image projects or project:target; image projects: ${[...new Set(all.map((b) => b.project))].join(', ') || 'none'})`,
    );
  }

  // Every build's metadata, not only the selected ones': parents outside the report still tell where a child's own layers start.
  const metadata = new Map<BuildTarget, ImageMetadata>();
  for (const b of all) {
    try {
      metadata.set(b, readImageMetadata(join(context.root, b.metadataFile)));
    } catch {
      // Not built yet (or dist/ cleaned): named below when it was asked for.
    }
  }
  const notBuilt = selected.filter((b) => !metadata.has(b));
  const recorded = selected.filter((b) => metadata.has(b));

  let docker;
  let engine: EngineInfo;
  try {
    ({ docker, info: engine } = await connectEngine());
  } catch (e) {
    return fail((e as Error).message);
  }
  try {
    const reader = new LayerReader(docker, {
      parentsOf: new Map([...metadata.values()].map((m) => [m.imageId, m.parents.map((p) => p.imageId)])),
      resolveWithSave: options.resolveWithSave,
    });
    const layers = new Map<string, ImageLayers | undefined>();
    const read = async (id: string) => {
      if (!layers.has(id)) layers.set(id, await reader.layersOf(id));
      return layers.get(id);
    };
    const images: ReportImage[] = [];
    const notInEngine: BuildTarget[] = [];
    const byMetadataFile = new Map(all.map((b) => [b.metadataFile, b]));
    for (const b of recorded) {
      const m = metadata.get(b)!;
      if (!(await read(m.imageId))) {
        notInEngine.push(b);
        continue;
      }
      for (const p of m.parents) await read(p.imageId);
      images.push({
        image: labelOf(b),
        project: b.project,
        target: b.target,
        ...(b.variant ? { variant: b.variant } : {}),
        imageId: m.imageId,
        references: m.references,
        parents: m.parents.map((p) => {
          const pinned = b.parents.find((q) => q.project === p.project && q.reference === p.reference);
          const parent = pinned && byMetadataFile.get(pinned.metadataFile);
          const latest = parent && metadata.get(parent)?.imageId;
          return { image: parent ? labelOf(parent) : p.project, imageId: p.imageId, current: !latest || latest === p.imageId };
        }),
      });
    }
    const report = layerReport(images, (id) => layers.get(id));

    const out: string[] = [];
    if (images.length) out.push(formatLayerReport(report));
    else out.push(`No built image to report on${selected.length ? '' : ': the graph has no image builds'}.`);
    if (notBuilt.length) {
      out.push(
        `${notBuilt.length} of ${selected.length} image build${selected.length === 1 ? '' : 's'} not reported: no build metadata yet (${list(notBuilt)}). ` +
          `Build ${notBuilt.length === 1 ? 'it' : 'them'} with \`nx run-many -t ${uniq(notBuilt.map((b) => b.target))} -p ${uniq(notBuilt.map((b) => b.project))}\`, then run this again.`,
      );
    }
    if (notInEngine.length) {
      const targets = uniq(notInEngine.map((b) => b.materializeTarget ?? 'docker-materialize'));
      out.push(
        `${notInEngine.length} built image${notInEngine.length === 1 ? ' is' : 's are'} not in the engine at ${engine.address} (${list(notInEngine)}): ` +
          `\`nx run-many -t ${targets} -p ${uniq(notInEngine.map((b) => b.project))}\` puts the recorded images there.`,
      );
    }
    process.stdout.write(`\n${out.join('\n\n')}\n\n`);

    const file = join(context.root, options.outputFile ?? DEFAULT_OUTPUT_FILE);
    const json = {
      generatedAt: new Date().toISOString(),
      engine: { name: engine.name, version: engine.version, apiVersion: engine.apiVersion },
      // Sizes are the layers' DiffSize, as `docker images` adds them up; a layer is its chain id.
      images: report.rows.map((r) => ({ ...r, sizeSources: layers.get(r.imageId)?.sources ?? [] })),
      totals: report.totals,
      notBuilt: notBuilt.map((b) => `${b.project}:${b.target}`),
      notInEngine: notInEngine.map((b) => ({ task: `${b.project}:${b.target}`, imageId: metadata.get(b)!.imageId })),
    };
    writeJsonAtomic(file, json);
    process.stdout.write(`Layer report written to ${options.outputFile ?? DEFAULT_OUTPUT_FILE}\n`);
    return { success: true };
  } catch (e) {
    return fail((e as Error).message);
  }
}

function list(builds: BuildTarget[]): string {
  const names = builds.map(labelOf);
  return names.length > 6 ? `${names.slice(0, 6).join(', ')} and ${names.length - 6} more` : names.join(', ');
}

function uniq(values: string[]): string {
  return [...new Set(values)].join(',');
}
