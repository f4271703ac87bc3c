import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Credentials for one registry, in the shape the Engine API takes (X-Registry-Auth). Never logged or written. */
export interface RegistryAuth {
  username?: string;
  password?: string;
  identitytoken?: string;
  serveraddress: string;
}

interface DockerConfig {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
}

/**
 * Finds credentials the way the docker CLI does: `DOCKER_AUTH_CONFIG` (a config.json as an
 * environment variable, as CI systems provide), else `$DOCKER_CONFIG/config.json` (default
 * ~/.docker): `credHelpers`, then `auths`, then `credsStore`. Undefined when there are none.
 */
export function registryAuth(registry: string, env: NodeJS.ProcessEnv = process.env): RegistryAuth | undefined {
  const host = registry.split('/')[0];
  const configs: DockerConfig[] = [];
  if (env.DOCKER_AUTH_CONFIG) {
    try {
      configs.push(JSON.parse(env.DOCKER_AUTH_CONFIG));
    } catch {
      throw new Error('DOCKER_AUTH_CONFIG is not valid JSON (expected the shape of ~/.docker/config.json)');
    }
  }
  try {
    configs.push(JSON.parse(readFileSync(join(env.DOCKER_CONFIG ?? join(homedir(), '.docker'), 'config.json'), 'utf8')));
  } catch {
    // No config file: no credentials from it.
  }
  for (const config of configs) {
    const helper = config.credHelpers?.[host];
    if (helper) return fromHelper(helper, host);
    const entry =
      config.auths?.[host] ??
      config.auths?.[`https://${host}`] ??
      config.auths?.[`http://${host}`] ??
      config.auths?.[`https://${host}/v1/`];
    if (entry) {
      if (entry.identitytoken) return { identitytoken: entry.identitytoken, serveraddress: host };
      if (entry.auth) {
        const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1), serveraddress: host };
      }
      if (entry.username) return { username: entry.username, password: entry.password, serveraddress: host };
    }
    if (config.credsStore) {
      const found = fromHelper(config.credsStore, host, true);
      if (found) return found;
    }
  }
  return undefined;
}

function fromHelper(helper: string, host: string, optional = false): RegistryAuth | undefined {
  try {
    const out = execFileSync(`docker-credential-${helper}`, ['get'], {
      input: host,
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: 15000,
    });
    const { Username, Secret } = JSON.parse(out) as { Username: string; Secret: string };
    return Username === '<token>'
      ? { identitytoken: Secret, serveraddress: host }
      : { username: Username, password: Secret, serveraddress: host };
  } catch (e) {
    if (optional) return undefined;
    throw new Error(
      `credential helper docker-credential-${helper} gave no credentials for ${host}: ${(e as Error).message.split('\n')[0]}`,
    );
  }
}

/** Removes anything that looks like a credential from a message before it is shown. */
export function redact(message: string, auth?: RegistryAuth): string {
  let out = message;
  for (const secret of [auth?.password, auth?.identitytoken]) if (secret) out = out.split(secret).join('***');
  return out;
}
