import type { DockerfileModel } from '../../inference/dockerfile';

/**
 * The Dockerfile a build sends when another image builds one of its stages: that stage becomes
 * `FROM <that image> AS <stage>`, so this build runs on the exact image recorded for it instead of
 * building the stage again. Other lines keep their numbers (the stage's own lines become blank),
 * so the engine's messages still point at the user's Dockerfile.
 */
export function replaceStages(text: string, model: DockerfileModel, images: Map<string, string>): string {
  if (images.size === 0) return text;
  const lines = text.split('\n');
  model.stages.forEach((stage, i) => {
    const image = stage.name ? images.get(stage.name) : undefined;
    if (!image) return;
    const first = stage.from.line - 1;
    const end = i + 1 < model.stages.length ? model.stages[i + 1].from.line - 1 : lines.length;
    for (let l = first; l < end; l++) lines[l] = '';
    lines[first] = `FROM ${image} AS ${stage.name}`;
  });
  return lines.join('\n');
}
