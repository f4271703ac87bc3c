import { buildLimits, BuildWatchdog, DEFAULT_STALL_MINUTES } from './build-limits';

describe('build limits', () => {
  it('a build without a timeout of its own is ended only by a long silence; with one, by that alone', () => {
    expect(buildLimits(undefined, {})).toEqual({ stallMinutes: DEFAULT_STALL_MINUTES });
    expect(buildLimits(undefined, { NX_IMAGE_GRAPH_STALL_MINUTES: '90' })).toEqual({ stallMinutes: 90 });
    expect(buildLimits(undefined, { NX_IMAGE_GRAPH_STALL_MINUTES: 'soon' })).toEqual({ stallMinutes: DEFAULT_STALL_MINUTES });
    expect(buildLimits(120, { NX_IMAGE_GRAPH_STALL_MINUTES: '5' })).toEqual({ timeoutMinutes: 120, stallMinutes: 120 });
  });

  it('progress keeps a build alive; silence ends it, once, saying which limit', () => {
    jest.useFakeTimers();
    try {
      let expired = 0;
      const w = new BuildWatchdog({ stallMinutes: 1 }, () => expired++);
      jest.advanceTimersByTime(50_000);
      w.progress();
      jest.advanceTimersByTime(50_000);
      expect(w.expired).toBeUndefined();
      jest.advanceTimersByTime(20_000);
      expect(expired).toBe(1);
      expect(w.expired).toBe(
        'the engine sent no progress for 1 minute (a frozen engine, or a step silent that long); give a step that is silent so long a "timeoutMinutes" in image.json (it then bounds the build alone), or set NX_IMAGE_GRAPH_STALL_MINUTES',
      );
      const t = new BuildWatchdog({ timeoutMinutes: 0.5, stallMinutes: 0.5 }, () => expired++);
      for (let i = 0; i < 6; i++) {
        jest.advanceTimersByTime(5_000);
        t.progress();
      }
      expect(t.expired).toBe('the build ran past its "timeoutMinutes" (30 seconds)');
      expect(expired).toBe(2);
    } finally {
      jest.useRealTimers();
    }
  });
});
