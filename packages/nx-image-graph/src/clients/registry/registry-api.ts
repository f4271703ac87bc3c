import { createHash } from 'node:crypto';
import { redact, RegistryAuth, registryAuth } from '../credentials/registry-auth';

/** Every manifest kind a tag can point at: single-platform images and multi-platform indexes, OCI and Docker. */
export const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
];

export class RegistryApiError extends Error {}
/** The registry did not answer at all (no such host, connection refused): not a refusal, which is an answer. */
export class RegistryUnreachableError extends RegistryApiError {}

export interface Manifest {
  body: Buffer;
  mediaType: string;
  digest: string;
}

/**
 * A small Registry HTTP API v2 client for one registry host: manifests by tag or digest, put a
 * manifest under a tag. Auth as the docker CLI does it: the Docker config's credentials
 * (registry-auth.ts), sent as Basic, or exchanged for a bearer token when the registry answers
 * 401 with `WWW-Authenticate: Bearer realm=...`. Loopback registries are spoken to over http, as
 * the engine does; others over https.
 */
export class RegistryApi {
  private readonly auth: RegistryAuth | undefined;
  private readonly base: string;
  private token: string | undefined;

  constructor(
    readonly host: string,
    env: NodeJS.ProcessEnv = process.env,
    /** Where the API is served when not at `host` (Docker Hub: credentials under index.docker.io, API at registry-1.docker.io). */
    apiHost: string = host,
  ) {
    this.auth = registryAuth(host, env);
    const insecure = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/.test(apiHost);
    this.base = `${insecure ? 'http' : 'https'}://${apiHost}/v2`;
  }

  /**
   * The digest of the manifest (or index) a tag points at, undefined when the registry has no such tag:
   * a HEAD (Docker Hub counts no pull for it), a GET only when the registry sends no digest header.
   */
  async manifestDigest(repository: string, reference: string): Promise<string | undefined> {
    const res = await this.request('HEAD', `/${repository}/manifests/${reference}`, repository, 'pull', {
      Accept: MANIFEST_TYPES.join(', '),
    });
    if (res.status === 404) return undefined;
    if (!res.ok) throw await this.error(res, `HEAD ${repository}:${reference}`);
    const digest = res.headers.get('docker-content-digest');
    if (digest && /^sha256:[0-9a-f]{64}$/.test(digest)) return digest;
    return (await this.getManifest(repository, reference))?.digest;
  }

  async getManifest(repository: string, reference: string): Promise<Manifest | undefined> {
    const res = await this.request('GET', `/${repository}/manifests/${reference}`, repository, 'pull', {
      Accept: MANIFEST_TYPES.join(', '),
    });
    if (res.status === 404) return undefined;
    if (!res.ok) throw await this.error(res, `GET ${repository}:${reference}`);
    const body = Buffer.from(await res.arrayBuffer());
    const digest = `sha256:${createHash('sha256').update(body).digest('hex')}`;
    if (reference.startsWith('sha256:') && digest !== reference)
      throw new RegistryApiError(`${this.host}/${repository}@${reference}: the registry sent a manifest whose digest is ${digest}`);
    const mediaType =
      (res.headers.get('content-type') ?? '').split(';')[0].trim() ||
      (JSON.parse(body.toString('utf8')) as { mediaType?: string }).mediaType ||
      '';
    return { body, mediaType, digest };
  }

  /** Puts the manifest, byte for byte, under `tag`; returns the digest the registry gives it (the same bytes, the same digest). */
  async putManifest(repository: string, tag: string, manifest: Manifest): Promise<string> {
    const res = await this.request(
      'PUT',
      `/${repository}/manifests/${tag}`,
      repository,
      'pull,push',
      { 'Content-Type': manifest.mediaType },
      manifest.body,
    );
    if (!res.ok) throw await this.error(res, `PUT ${repository}:${tag}`);
    return res.headers.get('docker-content-digest') ?? manifest.digest;
  }

  private async request(
    method: string,
    path: string,
    repository: string,
    actions: string,
    headers: Record<string, string>,
    body?: Buffer,
  ): Promise<Response> {
    const send = () =>
      fetch(`${this.base}${path}`, { method, headers: { ...headers, ...this.authorization() }, ...(body ? { body } : {}) }).catch(
        (e: Error) => {
          throw new RegistryUnreachableError(
            `registry ${this.host} did not answer ${method} ${path}: ${(e.cause as Error | undefined)?.message ?? e.message}`,
          );
        },
      );
    let res = await send();
    if (res.status === 401) {
      const challenge = res.headers.get('www-authenticate') ?? '';
      if (/^bearer/i.test(challenge)) this.token = await this.fetchToken(challenge, repository, actions);
      else if (!this.auth) throw await this.error(res, `${method} ${path}`);
      res = await send();
    }
    return res;
  }

  private authorization(): Record<string, string> {
    if (this.token) return { Authorization: `Bearer ${this.token}` };
    if (this.auth?.username !== undefined)
      return { Authorization: `Basic ${Buffer.from(`${this.auth.username}:${this.auth.password ?? ''}`).toString('base64')}` };
    return {};
  }

  /** The registry token flow: realm, service and scope from the challenge; credentials as Basic, or the identity token as a refresh token. */
  private async fetchToken(challenge: string, repository: string, actions: string): Promise<string> {
    const params = Object.fromEntries([...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1].toLowerCase(), m[2]]));
    if (!params.realm) throw new RegistryApiError(`registry ${this.host} asked for a bearer token without a realm`);
    const scope = `repository:${repository}:${actions}`;
    let res: Response;
    if (this.auth?.identitytoken) {
      const form = new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: this.auth.identitytoken,
        service: params.service ?? '',
        scope,
        client_id: 'nx-image-graph',
      });
      res = await fetch(params.realm, { method: 'POST', body: form });
    } else {
      const url = new URL(params.realm);
      if (params.service) url.searchParams.set('service', params.service);
      url.searchParams.set('scope', scope);
      const basic: Record<string, string> =
        this.auth?.username !== undefined
          ? { Authorization: `Basic ${Buffer.from(`${this.auth.username}:${this.auth.password ?? ''}`).toString('base64')}` }
          : {};
      res = await fetch(url, { headers: basic });
    }
    if (!res.ok) throw await this.error(res, `token from ${params.realm}`);
    const json = (await res.json()) as { token?: string; access_token?: string };
    const token = json.token ?? json.access_token;
    if (!token) throw new RegistryApiError(`registry ${this.host}: the token service gave no token`);
    return token;
  }

  private async error(res: Response, what: string): Promise<RegistryApiError> {
    const text = redact((await res.text().catch(() => '')).slice(0, 300).trim(), this.auth);
    const hint =
      res.status === 401 || res.status === 403
        ? `. ${this.auth ? 'Check the credentials for it' : 'No credentials found for it'} (docker login ${this.host}, DOCKER_CONFIG, or DOCKER_AUTH_CONFIG)`
        : '';
    return new RegistryApiError(`registry ${this.host} refused ${what}: ${res.status} ${res.statusText}${text ? ` ${text}` : ''}${hint}`);
  }
}
