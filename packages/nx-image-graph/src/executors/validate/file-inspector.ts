import type Docker from 'dockerode';
import { CHECK_LABEL, engineMessage } from './run-container';
import { findPath, parsePathStatHeader, PathFinding, PathStat } from './path-stat';

/**
 * Answers file checks from one created, never started, container of the image, through the
 * engine's archive API: exact, and needs no shell or `test` in the image (works on scratch images).
 * Made on first use and shared by every file check; `dispose` removes it.
 */
export class FileInspector {
  private container?: Promise<Docker.Container>;

  constructor(
    private readonly docker: Docker,
    private readonly imageId: string,
  ) {}

  async find(path: string): Promise<PathFinding> {
    const container = await this.ensure();
    return findPath(path, (p) => statPath(container, p));
  }

  async dispose(): Promise<void> {
    const pending = this.container;
    this.container = undefined;
    if (!pending) return;
    const container = await pending.catch(() => undefined);
    if (container) await container.remove({ force: true });
  }

  private ensure(): Promise<Docker.Container> {
    // Never run: the command only has to exist on paper, so an image without CMD or shell can be created.
    this.container ??= this.docker.createContainer({
      Image: this.imageId,
      Cmd: ['/nx-image-graph-file-check'],
      Entrypoint: [],
      Labels: { [CHECK_LABEL]: 'file' },
    });
    return this.container;
  }
}

async function statPath(container: Docker.Container, path: string): Promise<PathStat | undefined> {
  let response: { headers: Record<string, string | string[] | undefined>; resume?: () => void };
  try {
    response = await container.infoArchive({ path });
  } catch (e) {
    // The container exists (made just now), so a 404 means the path does not.
    if ((e as { statusCode?: number }).statusCode === 404) return undefined;
    throw new Error(`the engine could not stat ${path}: ${engineMessage(e)}`);
  }
  response.resume?.();
  return parsePathStatHeader(response.headers['x-docker-container-path-stat']);
}
