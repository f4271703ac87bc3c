// The Dockerfile module's public API: reading (readDockerfile), expanding (substitute), image references,
// and the deciding step (imageDependencies, contextSources). Nothing outside src/dockerfile/ imports dockerfile-ast.
export { readDockerfile } from './read-dockerfile';
export type { ArgDeclaration, ContextSource, DockerfileModel, DockerfileProblem, EnvDeclaration, StageModel } from './read-dockerfile';
export { substitute } from './substitute';
export type { SubstituteOptions, SubstituteResult, Variables } from './substitute';
export { formatImageReference, normalizeRepository, parseImageReference } from './image-reference';
export type { ImageReference } from './image-reference';
export { AUTOMATIC_PLATFORM_ARGS, contextSources, imageDependencies, stagesNeeded } from './image-dependencies';
export type { ContextSources, DependencyOptions, ImageDependency } from './image-dependencies';
