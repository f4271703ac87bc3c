/** A release version that can be an image tag: semver without "+build" metadata (a tag cannot hold "+"). */
export const RELEASE_VERSION = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?$/;
