/**
 * Suffixes of the files a build writes beside its metadata (`<target>.json`): its image id (an Nx
 * output the builds on it hash) and its image archive. Kept apart from the graph code so that an
 * executor needing them does not load the graph's modules (and zod) at every task start.
 */
export const IMAGE_ID_SUFFIX = '.image-id';
export const ARCHIVE_SUFFIX = '.image.tar';
/** What the build was made from (plan/recorded-inputs.ts): files, parents, bases, args. */
export const INPUTS_SUFFIX = '.inputs.json';
/** Why a build failed (step, exit code, message), for the run summary; removed when the build starts again. */
export const FAILURE_SUFFIX = '.failure.json';
/** Warnings of a build (a large context, files left out of it, an unusable cacheFrom): the summary repeats them. */
export const WARNINGS_SUFFIX = '.warnings.json';
