/** Build arg names that look like a credential: TOKEN, SECRET, PASSWORD, PASSWD, API_KEY, CREDENTIAL, in any case. */
const CREDENTIAL_NAME = /TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|CREDENTIAL/i;

export const REDACTED = '***';

export function looksLikeCredential(argName: string): boolean {
  return CREDENTIAL_NAME.test(argName);
}

export function secretArgAdvice(name: string): string {
  return (
    `build arg "${name}" looks like a credential: build args are kept in the image history and in the build cache (and so in any registry and remote cache), ` +
    `and the plugin redacts it only in its own files and output. Pass it as a build secret instead: "secrets": { "${name.toLowerCase()}": { "env": "${name}" } } in image.json and RUN --mount=type=secret,id=${name.toLowerCase()} in the Dockerfile.`
  );
}

/** Args with credential-looking names get their value replaced, for anything the plugin writes or prints. */
export function redactArgs(args: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(args).map(([k, v]) => [k, looksLikeCredential(k) && v !== '' ? REDACTED : v]));
}
