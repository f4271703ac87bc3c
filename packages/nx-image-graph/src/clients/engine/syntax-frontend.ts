/** The `# syntax=` directive of a Dockerfile (parser directives come before anything else), if any. */
export function syntaxDirective(dockerfileText: string): string | undefined {
  for (const line of dockerfileText.split(/\r?\n/)) {
    const m = /^\s*#\s*syntax\s*=\s*(\S+)\s*$/i.exec(line);
    if (m) return m[1];
    // Directives end at the first line that is not one (a comment, a blank line or an instruction).
    if (!/^\s*#\s*[a-z]+\s*=/i.test(line)) return undefined;
  }
  return undefined;
}

/**
 * A build that failed because the engine could not get the Dockerfile's `# syntax=` frontend
 * (offline, no such image, no credentials) gets the reason and the two ways out, instead of
 * BuildKit's "failed to solve with frontend gateway.v0" alone.
 */
export function explainFrontendFailure(message: string, dockerfileText: string | undefined): string | undefined {
  const frontend = dockerfileText ? syntaxDirective(dockerfileText) : undefined;
  if (!frontend) return undefined;
  const name = frontend.split('@')[0].split(':')[0];
  if (!/gateway\.v0|frontend/i.test(message) && !message.includes(name)) return undefined;
  return (
    `the Dockerfile's "# syntax=${frontend}" line asks the engine to pull that BuildKit frontend image, and it could not (${message.trim()}). ` +
    `Remove the line to build with the engine's built-in Dockerfile frontend, or make ${frontend} available to the engine ` +
    `(docker pull it where a registry is reachable, or docker load it, and point "# syntax=" at that local reference).`
  );
}
