import { BuildProgress } from './build-progress';

/**
 * Streams recorded from POST /build?version=1 with the three labels the executor passes
 * (title, created, revision): Docker 20.10.24's classic builder and Podman 4.3.1 (buildah 1.28.2).
 * Both append one LABEL step per label; the counts and step numbers leave them out.
 */
const LABELS = 3;

const dockerFresh = [
  '{"stream":"Step 1/6 : FROM busybox:1.36"}',
  '{"stream":"\\n"}',
  '{"stream":" ---\\u003e 1595db8daafe\\n"}',
  '{"stream":"Step 2/6 : RUN echo base \\u003e /base.txt \\u0026\\u0026 test -s /base.txt"}',
  '{"stream":"\\n"}',
  '{"stream":" ---\\u003e Running in 176163464e36\\n"}',
  '{"stream":"Removing intermediate container 176163464e36\\n"}',
  '{"stream":" ---\\u003e 661464f42b7d\\n"}',
  '{"stream":"Step 3/6 : COPY app.sh /app.sh"}',
  '{"stream":"\\n"}',
  '{"stream":" ---\\u003e c63caafd2da4\\n"}',
  '{"stream":"Step 4/6 : LABEL org.opencontainers.image.created=2026-11-23T14:00:00.000Z"}',
  '{"stream":"\\n"}',
  '{"stream":" ---\\u003e Running in dea469f1ad85\\n"}',
  '{"stream":"Removing intermediate container dea469f1ad85\\n"}',
  '{"stream":" ---\\u003e df332a7bb10c\\n"}',
  '{"stream":"Step 5/6 : LABEL org.opencontainers.image.revision=0123456789abcdef0123456789abcdef01234567"}',
  '{"stream":"\\n"}',
  '{"stream":" ---\\u003e Running in daf0d189c03e\\n"}',
  '{"stream":"Removing intermediate container daf0d189c03e\\n"}',
  '{"stream":" ---\\u003e 2de4f4608008\\n"}',
  '{"stream":"Step 6/6 : LABEL org.opencontainers.image.title=app"}',
  '{"stream":"\\n"}',
  '{"stream":" ---\\u003e Running in 059ccd0dc7a5\\n"}',
  '{"stream":"Removing intermediate container 059ccd0dc7a5\\n"}',
  '{"stream":" ---\\u003e 867c623c9bb4\\n"}',
  '{"aux":{"ID":"sha256:867c623c9bb4ac2ef7e314f5a95d22e04582e8afbef10e652aaffa9c53c7e896"}}',
  '{"stream":"Successfully built 867c623c9bb4\\n"}',
];

const dockerCached = [
  '{"stream":"Step 1/6 : FROM busybox:1.36"}',
  '{"stream":"\\n"}',
  '{"stream":" ---\\u003e 1595db8daafe\\n"}',
  '{"stream":"Step 2/6 : RUN echo base \\u003e /base.txt \\u0026\\u0026 test -s /base.txt"}',
  '{"stream":"\\n"}',
  '{"stream":" ---\\u003e Using cache\\n"}',
  '{"stream":" ---\\u003e 661464f42b7d\\n"}',
  '{"stream":"Step 3/6 : COPY app.sh /app.sh"}',
  '{"stream":"\\n"}',
  '{"stream":" ---\\u003e Using cache\\n"}',
  '{"stream":" ---\\u003e c63caafd2da4\\n"}',
  '{"stream":"Step 4/6 : LABEL org.opencontainers.image.created=2026-11-23T14:00:00.000Z"}',
  '{"stream":"\\n"}',
  '{"stream":" ---\\u003e Using cache\\n"}',
  '{"stream":" ---\\u003e df332a7bb10c\\n"}',
  '{"stream":"Step 5/6 : LABEL org.opencontainers.image.revision=0123456789abcdef0123456789abcdef01234567"}',
  '{"stream":"\\n"}',
  '{"stream":" ---\\u003e Using cache\\n"}',
  '{"stream":" ---\\u003e 2de4f4608008\\n"}',
  '{"stream":"Step 6/6 : LABEL org.opencontainers.image.title=app"}',
  '{"stream":"\\n"}',
  '{"stream":" ---\\u003e Using cache\\n"}',
  '{"stream":" ---\\u003e 867c623c9bb4\\n"}',
  '{"aux":{"ID":"sha256:867c623c9bb4ac2ef7e314f5a95d22e04582e8afbef10e652aaffa9c53c7e896"}}',
  '{"stream":"Successfully built 867c623c9bb4\\n"}',
];

const dockerFail = [
  '{"stream":"Step 1/5 : FROM busybox:1.36"}',
  '{"stream":"\\n"}',
  '{"stream":" ---\\u003e 1595db8daafe\\n"}',
  '{"stream":"Step 2/5 : RUN echo about to fail \\u0026\\u0026 echo detail-line-1 \\u0026\\u0026 exit 3"}',
  '{"stream":"\\n"}',
  '{"stream":" ---\\u003e Running in d9e78e5149d7\\n"}',
  '{"stream":"about to fail\\ndetail-line-1\\n"}',
  '{"stream":"Removing intermediate container d9e78e5149d7\\n"}',
  '{"errorDetail":{"code":3,"message":"The command \'/bin/sh -c echo about to fail \\u0026\\u0026 echo detail-line-1 \\u0026\\u0026 exit 3\' returned a non-zero code: 3"},"error":"The command \'/bin/sh -c echo about to fail \\u0026\\u0026 echo detail-line-1 \\u0026\\u0026 exit 3\' returned a non-zero code: 3"}',
];

/** Docker numbers steps across stages and sends an `aux` id for the first stage too. */
const dockerMulti = [
  '{"stream":"Step 1/8 : FROM busybox:1.36 AS build"}',
  '{"stream":"\\n"}',
  '{"stream":" ---\\u003e 1595db8daafe\\n"}',
  '{"stream":"Step 2/8 : RUN echo one \\u003e /one"}',
  '{"stream":"\\n"}',
  '{"stream":" ---\\u003e Running in e9a9288a23d8\\n"}',
  '{"stream":"Removing intermediate container e9a9288a23d8\\n"}',
  '{"stream":" ---\\u003e b43de4e5c415\\n"}',
  '{"aux":{"ID":"sha256:b43de4e5c41579d1cd702d4bf27208bd8284463a898584eb9b0de17854b3c3bd"}}',
  '{"stream":"Step 3/8 : FROM busybox:1.36"}',
  '{"stream":"\\n"}',
  '{"stream":" ---\\u003e 1595db8daafe\\n"}',
  '{"stream":"Step 4/8 : COPY --from=build /one /one"}',
  '{"stream":"\\n"}',
  '{"stream":" ---\\u003e 205704a97190\\n"}',
  '{"stream":"Step 5/8 : RUN cat /one"}',
  '{"stream":"\\n"}',
  '{"stream":" ---\\u003e Running in 49fd1b798781\\n"}',
  '{"stream":"one\\n"}',
  '{"stream":"Removing intermediate container 49fd1b798781\\n"}',
  '{"stream":" ---\\u003e 08d979f8ad4b\\n"}',
  '{"stream":"Step 6/8 : LABEL org.opencontainers.image.created=2026-11-23T14:00:00.000Z"}',
  '{"stream":"\\n"}',
  '{"stream":" ---\\u003e Running in 1616389eb492\\n"}',
  '{"stream":"Removing intermediate container 1616389eb492\\n"}',
  '{"stream":" ---\\u003e 6d00bc9e6351\\n"}',
  '{"stream":"Step 7/8 : LABEL org.opencontainers.image.revision=0123456789abcdef0123456789abcdef01234567"}',
  '{"stream":"\\n"}',
  '{"stream":" ---\\u003e Running in 1e099869c7c3\\n"}',
  '{"stream":"Removing intermediate container 1e099869c7c3\\n"}',
  '{"stream":" ---\\u003e 3d8ab35da2cf\\n"}',
  '{"stream":"Step 8/8 : LABEL org.opencontainers.image.title=app"}',
  '{"stream":"\\n"}',
  '{"stream":" ---\\u003e Running in 3480787f7ab8\\n"}',
  '{"stream":"Removing intermediate container 3480787f7ab8\\n"}',
  '{"stream":" ---\\u003e bd1ccab6f648\\n"}',
  '{"aux":{"ID":"sha256:bd1ccab6f648c922b33c657bd03fd59ec622f4e78b8a62b2ce1668ae96f54892"}}',
  '{"stream":"Successfully built bd1ccab6f648\\n"}',
];

const podmanFresh = [
  '{"stream":"STEP 1/6: FROM busybox:1.36\\n"}',
  '{"stream":"STEP 2/6: RUN echo base \\u003e /base.txt \\u0026\\u0026 test -s /base.txt\\n"}',
  '{"stream":"--\\u003e 3120088a64f\\n"}',
  '{"stream":"STEP 3/6: COPY app.sh /app.sh\\n"}',
  '{"stream":"--\\u003e 31096806ebb\\n"}',
  '{"stream":"STEP 4/6: LABEL \\"org.opencontainers.image.title\\"=\\"app\\"\\n"}',
  '{"stream":"--\\u003e 761c18c41f3\\n"}',
  '{"stream":"STEP 5/6: LABEL \\"org.opencontainers.image.created\\"=\\"2026-11-23T14:00:00.000Z\\"\\n"}',
  '{"stream":"--\\u003e ed8386dbae3\\n"}',
  '{"stream":"STEP 6/6: LABEL \\"org.opencontainers.image.revision\\"=\\"0123456789abcdef0123456789abcdef01234567\\"\\n"}',
  '{"stream":"COMMIT\\n"}',
  '{"stream":"--\\u003e 67a0045aafb\\n"}',
  '{"stream":"67a0045aafb7b0bf0ca78a068933877c660edc830e271860e3723103f47602a0\\n"}',
  '{"aux":{"ID":"sha256:67a0045aafb7b0bf0ca78a068933877c660edc830e271860e3723103f47602a0"}}',
  '{"stream":"Successfully built 67a0045aafb7\\n"}',
];

/** Podman writes the labels in map order, so the label steps miss the cache when the order changes. */
const podmanCached = [
  '{"stream":"STEP 1/6: FROM busybox:1.36\\n"}',
  '{"stream":"STEP 2/6: RUN echo base \\u003e /base.txt \\u0026\\u0026 test -s /base.txt\\n"}',
  '{"stream":"--\\u003e Using cache 3120088a64feabdeaa69cc76902bd012a6474e298e5a9bdff4eb21fdf5720504\\n"}',
  '{"stream":"--\\u003e 3120088a64f\\n"}',
  '{"stream":"STEP 3/6: COPY app.sh /app.sh\\n"}',
  '{"stream":"--\\u003e Using cache 31096806ebb33c59dd8b11e8a42f4add63280ef8ebd36e2430ae721bc0e47f57\\n"}',
  '{"stream":"--\\u003e 31096806ebb\\n"}',
  '{"stream":"STEP 4/6: LABEL \\"org.opencontainers.image.revision\\"=\\"0123456789abcdef0123456789abcdef01234567\\"\\n"}',
  '{"stream":"--\\u003e 9aced4c001f\\n"}',
  '{"stream":"STEP 5/6: LABEL \\"org.opencontainers.image.title\\"=\\"app\\"\\n"}',
  '{"stream":"--\\u003e 393585eddee\\n"}',
  '{"stream":"STEP 6/6: LABEL \\"org.opencontainers.image.created\\"=\\"2026-11-23T14:00:00.000Z\\"\\n"}',
  '{"stream":"COMMIT\\n"}',
  '{"stream":"--\\u003e 4bfd90d71f2\\n"}',
  '{"stream":"4bfd90d71f20d780a5198f8df256f64ccb89811e5246bc1497cb227264cd627c\\n"}',
  '{"aux":{"ID":"sha256:4bfd90d71f20d780a5198f8df256f64ccb89811e5246bc1497cb227264cd627c"}}',
  '{"stream":"Successfully built 4bfd90d71f20\\n"}',
];

const podmanFail = [
  '{"stream":"STEP 1/5: FROM busybox:1.36\\n"}',
  '{"stream":"STEP 2/5: RUN echo about to fail \\u0026\\u0026 echo detail-line-1 \\u0026\\u0026 exit 3\\n"}',
  '{"stream":"about to fail\\ndetail-line-1\\n"}',
  '{"errorDetail":{"message":"building at STEP \\"RUN echo about to fail \\u0026\\u0026 echo detail-line-1 \\u0026\\u0026 exit 3\\": while running runtime: exit status 3\\n"},"error":"building at STEP \\"RUN echo about to fail \\u0026\\u0026 echo detail-line-1 \\u0026\\u0026 exit 3\\": while running runtime: exit status 3\\n"}',
];

/** Podman numbers steps per stage, prefixed with the stage; the labels end the last stage. */
const podmanMulti = [
  '{"stream":"[1/2] STEP 1/2: FROM busybox:1.36 AS build\\n"}',
  '{"stream":"[1/2] STEP 2/2: RUN echo one \\u003e /one\\n"}',
  '{"stream":"--\\u003e eac4b2ee123\\n"}',
  '{"stream":"[2/2] STEP 1/6: FROM busybox:1.36\\n"}',
  '{"stream":"[2/2] STEP 2/6: COPY --from=build /one /one\\n"}',
  '{"stream":"--\\u003e 362a4d979a7\\n"}',
  '{"stream":"[2/2] STEP 3/6: RUN cat /one\\n"}',
  '{"stream":"one\\n"}',
  '{"stream":"--\\u003e 45fff3bb749\\n"}',
  '{"stream":"[2/2] STEP 4/6: LABEL \\"org.opencontainers.image.title\\"=\\"app\\"\\n"}',
  '{"stream":"--\\u003e b0c21360d44\\n"}',
  '{"stream":"[2/2] STEP 5/6: LABEL \\"org.opencontainers.image.created\\"=\\"2026-11-23T14:00:00.000Z\\"\\n"}',
  '{"stream":"--\\u003e eae9be5799a\\n"}',
  '{"stream":"[2/2] STEP 6/6: LABEL \\"org.opencontainers.image.revision\\"=\\"0123456789abcdef0123456789abcdef01234567\\"\\n"}',
  '{"stream":"[2/2] COMMIT\\n"}',
  '{"stream":"--\\u003e ecd1d6a0246\\n"}',
  '{"stream":"ecd1d6a02469f748fab6ce1f7ce09c45d5c915af00cc983003802f5e41427f21\\n"}',
  '{"aux":{"ID":"sha256:ecd1d6a02469f748fab6ce1f7ce09c45d5c915af00cc983003802f5e41427f21"}}',
  '{"stream":"Successfully built ecd1d6a02469\\n"}',
];

function run(lines: string[], opts: { appendedLabelSteps?: number; chunk?: number } = {}) {
  const printed: string[] = [];
  const progress = new BuildProgress((l) => printed.push(l), { appendedLabelSteps: opts.appendedLabelSteps ?? LABELS });
  const raw = lines.join('\n') + '\n';
  // The HTTP stream splits anywhere, also inside a JSON line.
  const size = opts.chunk ?? raw.length;
  for (let i = 0; i < raw.length; i += size) progress.write(raw.slice(i, i + size));
  return { outcome: progress.end(), printed };
}

describe('BuildProgress on the classic builders', () => {
  describe('Docker', () => {
    it('takes the image id from aux and counts Dockerfile steps only (no FROM, no appended label steps)', () => {
      const { outcome, printed } = run(dockerFresh, { chunk: 7 });
      expect(outcome).toEqual({
        imageId: 'sha256:867c623c9bb4ac2ef7e314f5a95d22e04582e8afbef10e652aaffa9c53c7e896',
        stepsTotal: 2,
        stepsCached: 0,
      });
      expect(printed).toEqual(['  [2/3] RUN echo base > /base.txt && test -s /base.txt', '  [3/3] COPY app.sh /app.sh']);
    });

    it('counts the cache hits of a rebuild', () => {
      const { outcome, printed } = run(dockerCached);
      expect(outcome).toMatchObject({ stepsTotal: 2, stepsCached: 2 });
      expect(printed.filter((l) => l.includes('CACHED'))).toHaveLength(2);
    });

    it('reports the failing step, its exit code and its log without builder chatter', () => {
      const { outcome } = run(dockerFail);
      expect(outcome.imageId).toBeUndefined();
      expect(outcome.failure).toEqual({
        step: '[2/2] RUN echo about to fail && echo detail-line-1 && exit 3',
        message: "The command '/bin/sh -c echo about to fail && echo detail-line-1 && exit 3' returned a non-zero code: 3",
        exitCode: 3,
        logTail: ['about to fail', 'detail-line-1'],
      });
    });

    it('takes the last aux id of a multi-stage build, not the first stage', () => {
      const { outcome, printed } = run(dockerMulti);
      expect(outcome).toEqual({
        imageId: 'sha256:bd1ccab6f648c922b33c657bd03fd59ec622f4e78b8a62b2ce1668ae96f54892',
        stepsTotal: 3,
        stepsCached: 0,
      });
      expect(printed).toContain('  [5/5] RUN cat /one');
      expect(printed).toContain('    one');
    });

    it('without labels every step counts', () => {
      const stream = [
        '{"stream":"Step 1/2 : FROM busybox:1.36\\n"}',
        '{"stream":"Step 2/2 : LABEL a=b\\n"}',
        '{"aux":{"ID":"sha256:' + 'a'.repeat(64) + '"}}',
      ];
      expect(run(stream, { appendedLabelSteps: 0 }).outcome).toMatchObject({ stepsTotal: 1 });
    });
  });

  describe('Podman', () => {
    it('takes the image id and counts Dockerfile steps only', () => {
      const { outcome, printed } = run(podmanFresh, { chunk: 5 });
      expect(outcome).toEqual({
        imageId: 'sha256:67a0045aafb7b0bf0ca78a068933877c660edc830e271860e3723103f47602a0',
        stepsTotal: 2,
        stepsCached: 0,
      });
      expect(printed).toEqual(['  [2/3] RUN echo base > /base.txt && test -s /base.txt', '  [3/3] COPY app.sh /app.sh']);
    });

    it('falls back to the bare id line when no aux message comes', () => {
      const { outcome } = run(podmanFresh.filter((l) => !l.startsWith('{"aux"')));
      expect(outcome.imageId).toBe('sha256:67a0045aafb7b0bf0ca78a068933877c660edc830e271860e3723103f47602a0');
    });

    it('counts "--> Using cache" hits; the appended label steps neither count nor print', () => {
      const { outcome, printed } = run(podmanCached);
      expect(outcome).toMatchObject({ stepsTotal: 2, stepsCached: 2 });
      expect(printed.join('\n')).not.toContain('LABEL');
      expect(printed.join('\n')).not.toMatch(/COMMIT|-->|[0-9a-f]{64}/);
    });

    it('reports the failing step and the exit code from "exit status N"', () => {
      const { outcome } = run(podmanFail);
      expect(outcome.failure).toEqual({
        step: '[2/2] RUN echo about to fail && echo detail-line-1 && exit 3',
        message: 'building at STEP "RUN echo about to fail && echo detail-line-1 && exit 3": while running runtime: exit status 3',
        exitCode: 3,
        logTail: ['about to fail', 'detail-line-1'],
      });
    });

    it('names the steps of a multi-stage build by stage, and shifts only the last stage by the label steps', () => {
      const { outcome, printed } = run(podmanMulti);
      expect(outcome).toEqual({
        imageId: 'sha256:ecd1d6a02469f748fab6ce1f7ce09c45d5c915af00cc983003802f5e41427f21',
        stepsTotal: 3,
        stepsCached: 0,
      });
      expect(printed).toEqual([
        '  [build 2/2] RUN echo one > /one',
        '  [stage-1 2/3] COPY --from=build /one /one',
        '  [stage-1 3/3] RUN cat /one',
        '    one',
      ]);
    });

    it('keeps the numbering when the labels land on another stage (a target before the last)', () => {
      const stream = [
        '{"stream":"STEP 1/2: FROM busybox:1.36 AS build\\n"}',
        '{"stream":"STEP 2/2: RUN echo one \\u003e /one\\n"}',
        '{"stream":"--\\u003e eac4b2ee123\\n"}',
        '{"aux":{"ID":"sha256:' + 'e'.repeat(64) + '"}}',
      ];
      const { outcome, printed } = run(stream, { appendedLabelSteps: 0 });
      expect(outcome).toMatchObject({ stepsTotal: 1 });
      expect(printed).toEqual(['  [2/2] RUN echo one > /one']);
    });
  });
});
