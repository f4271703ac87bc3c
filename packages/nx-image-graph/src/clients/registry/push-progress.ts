import { formatBytes, formatSeconds } from '../../core/text/format-units';
import type { RegistryMessage } from './registry-stream';

interface Layer {
  done: boolean;
  current: number;
  total: number;
}

/** Often enough to show a long push moving, rarely enough for a CI log file: about 20 lines a minute at most. */
export const PUSH_PROGRESS_INTERVAL_MS = 3000;

/**
 * One push's progress, from the engine's per-layer messages, as plain lines (a pipe and Nx's TUI
 * pane both take them; no carriage returns): `push <ref>: 2/5 layers, 120 MB of 1.4 GB` when
 * something changed and the last line is `intervalMs` old, then a closing line. A push that ends
 * within the interval prints only the closing line. Bytes are those of the layers being uploaded,
 * as the engine reports them (a layer's size is known once its upload starts).
 */
export class PushProgress {
  private readonly layers = new Map<string, Layer>();
  private readonly started: number;
  private lastLine: number;
  private changed = false;

  constructor(
    private readonly reference: string,
    private readonly print: (line: string) => void,
    private readonly opts: { intervalMs?: number; now?: () => number } = {},
  ) {
    this.started = this.now();
    this.lastLine = this.started;
  }

  message(msg: RegistryMessage): void {
    if (!msg.id || !msg.status || !/^[0-9a-f]{12,64}$/.test(msg.id)) return;
    const layer = this.layers.get(msg.id) ?? { done: false, current: 0, total: 0 };
    this.layers.set(msg.id, layer);
    const { current, total } = msg.progressDetail ?? {};
    if (msg.status === 'Pushing' && typeof total === 'number' && total > 0) {
      layer.total = total;
      layer.current = Math.min(current ?? 0, total);
    } else if (msg.status === 'Pushed') {
      layer.done = true;
      layer.current = layer.total;
    } else if (msg.status === 'Layer already exists' || msg.status.startsWith('Mounted from ')) {
      layer.done = true;
    }
    this.changed = true;
    if (this.now() - this.lastLine >= (this.opts.intervalMs ?? PUSH_PROGRESS_INTERVAL_MS)) this.line();
  }

  /** The closing line of a push that succeeded. */
  end(): void {
    const layers = [...this.layers.values()];
    const uploaded = layers.reduce((n, l) => n + l.total, 0);
    this.print(
      `  push ${this.reference}: done, ${layers.length} layers, ${formatBytes(uploaded)} uploaded, ${formatSeconds((this.now() - this.started) / 1000)}`,
    );
  }

  private line(): void {
    if (!this.changed) return;
    this.changed = false;
    this.lastLine = this.now();
    const layers = [...this.layers.values()];
    const done = layers.filter((l) => l.done).length;
    const current = layers.reduce((n, l) => n + l.current, 0);
    const total = layers.reduce((n, l) => n + l.total, 0);
    this.print(`  push ${this.reference}: ${done}/${layers.length} layers, ${formatBytes(current)} of ${formatBytes(total)}`);
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }
}
