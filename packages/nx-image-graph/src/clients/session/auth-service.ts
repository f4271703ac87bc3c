import { status, type sendUnaryData, type ServerUnaryCall, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { registryAuth, type RegistryAuth } from '../credentials/registry-auth';

/** Docker Hub's credentials are kept under https://index.docker.io/v1/ in the Docker config, whatever host BuildKit names. */
const DOCKER_HUB_HOSTS = new Set(['docker.io', 'registry-1.docker.io', 'index.docker.io']);

export type CredentialsLookup = (host: string) => RegistryAuth | undefined;

/** Credentials from the Docker config (DOCKER_AUTH_CONFIG, DOCKER_CONFIG: auths, credHelpers, credsStore), per host. */
export function dockerConfigCredentials(env: NodeJS.ProcessEnv = process.env): CredentialsLookup {
  const cache = new Map<string, RegistryAuth | undefined>();
  return (host) => {
    if (!cache.has(host))
      cache.set(host, registryAuth(host, env) ?? (DOCKER_HUB_HOSTS.has(host) ? registryAuth('index.docker.io', env) : undefined));
    return cache.get(host);
  };
}

/**
 * moby.filesync.v1.Auth: BuildKit asks for the credentials of each registry a build touches
 * (FROM, cache-from, the # syntax= frontend), by host. An unknown host gets empty credentials,
 * i.e. anonymous access, as with the docker CLI. FetchToken and the token-authority methods are
 * left unimplemented: BuildKit then fetches registry tokens itself with these credentials.
 */
export function authImplementation(lookup: CredentialsLookup): UntypedServiceImplementation {
  return {
    Credentials(call: ServerUnaryCall<{ Host: string }, unknown>, callback: sendUnaryData<{ Username?: string; Secret?: string }>) {
      let auth: RegistryAuth | undefined;
      try {
        auth = lookup(call.request.Host);
      } catch (e) {
        // A failing credential helper: say which host, never what it printed beyond its first line.
        return callback({ code: status.UNAVAILABLE, details: (e as Error).message });
      }
      if (!auth) return callback(null, {});
      // As the docker CLI's provider: an identity token goes as the secret with no user name.
      callback(null, auth.identitytoken ? { Secret: auth.identitytoken } : { Username: auth.username ?? '', Secret: auth.password ?? '' });
    },
  };
}
