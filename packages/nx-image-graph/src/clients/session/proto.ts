import type { ServiceDefinition } from '@grpc/grpc-js';
import * as protobuf from 'protobufjs';

/**
 * The three session services BuildKit calls on the client, as gRPC service definitions.
 * The messages are those of BuildKit's .proto files (session/auth, session/secrets,
 * session/sshforward), written here so the package ships no .proto files to find at run time.
 */
const PROTO = `
syntax = "proto3";
package moby.filesync.v1;
message CredentialsRequest { string Host = 1; }
message CredentialsResponse { string Username = 1; string Secret = 2; }
message FetchTokenRequest { string ClientID = 1; string Host = 2; string Realm = 3; string Service = 4; repeated string Scopes = 5; }
message FetchTokenResponse { string Token = 1; int64 ExpiresIn = 2; int64 IssuedAt = 3; }
message GetTokenAuthorityRequest { string Host = 1; bytes Salt = 2; }
message GetTokenAuthorityResponse { bytes PublicKey = 1; }
message VerifyTokenAuthorityRequest { string Host = 1; bytes Payload = 2; bytes Salt = 3; }
message VerifyTokenAuthorityResponse { bytes Signed = 1; }
`;
const SECRETS_PROTO = `
syntax = "proto3";
package moby.buildkit.secrets.v1;
message GetSecretRequest { string ID = 1; map<string, string> annotations = 2; }
message GetSecretResponse { bytes data = 1; }
`;
const SSH_PROTO = `
syntax = "proto3";
package moby.sshforward.v1;
message BytesMessage { bytes data = 1; }
message CheckAgentRequest { string ID = 1; }
message CheckAgentResponse {}
`;

const HEALTH_PROTO = `
syntax = "proto3";
package grpc.health.v1;
message HealthCheckRequest { string service = 1; }
message HealthCheckResponse { int32 status = 1; }
`;

const root = new protobuf.Root();
for (const text of [PROTO, SECRETS_PROTO, SSH_PROTO, HEALTH_PROTO]) protobuf.parse(text, root, { keepCase: true });

function method(service: string, name: string, request: string, response: string, streams = false) {
  const req = root.lookupType(request);
  const res = root.lookupType(response);
  return {
    path: `/${service}/${name}`,
    requestStream: streams,
    responseStream: streams,
    requestSerialize: (m: object) => Buffer.from(req.encode(req.fromObject(m)).finish()),
    requestDeserialize: (b: Buffer) => req.toObject(req.decode(b), { defaults: true }),
    responseSerialize: (m: object) => Buffer.from(res.encode(res.fromObject(m)).finish()),
    responseDeserialize: (b: Buffer) => res.toObject(res.decode(b), { defaults: true }),
  };
}

export const AUTH_SERVICE = 'moby.filesync.v1.Auth';
export const SECRETS_SERVICE = 'moby.buildkit.secrets.v1.Secrets';
export const SSH_SERVICE = 'moby.sshforward.v1.SSH';

export const authService = {
  Credentials: method(AUTH_SERVICE, 'Credentials', 'moby.filesync.v1.CredentialsRequest', 'moby.filesync.v1.CredentialsResponse'),
  FetchToken: method(AUTH_SERVICE, 'FetchToken', 'moby.filesync.v1.FetchTokenRequest', 'moby.filesync.v1.FetchTokenResponse'),
  GetTokenAuthority: method(
    AUTH_SERVICE,
    'GetTokenAuthority',
    'moby.filesync.v1.GetTokenAuthorityRequest',
    'moby.filesync.v1.GetTokenAuthorityResponse',
  ),
  VerifyTokenAuthority: method(
    AUTH_SERVICE,
    'VerifyTokenAuthority',
    'moby.filesync.v1.VerifyTokenAuthorityRequest',
    'moby.filesync.v1.VerifyTokenAuthorityResponse',
  ),
} as unknown as ServiceDefinition;

export const secretsService = {
  GetSecret: method(
    SECRETS_SERVICE,
    'GetSecret',
    'moby.buildkit.secrets.v1.GetSecretRequest',
    'moby.buildkit.secrets.v1.GetSecretResponse',
  ),
} as unknown as ServiceDefinition;

export const sshService = {
  CheckAgent: method(SSH_SERVICE, 'CheckAgent', 'moby.sshforward.v1.CheckAgentRequest', 'moby.sshforward.v1.CheckAgentResponse'),
  ForwardAgent: method(SSH_SERVICE, 'ForwardAgent', 'moby.sshforward.v1.BytesMessage', 'moby.sshforward.v1.BytesMessage', true),
} as unknown as ServiceDefinition;

/**
 * grpc.health.v1.Health: BuildKit checks the session's health every few seconds and drops a
 * session that does not answer SERVING, failing the steps that then ask it for a secret or ssh.
 */
export const healthService = {
  Check: method('grpc.health.v1.Health', 'Check', 'grpc.health.v1.HealthCheckRequest', 'grpc.health.v1.HealthCheckResponse'),
} as unknown as ServiceDefinition;

/** SERVING, in grpc.health.v1.HealthCheckResponse.ServingStatus. */
export const HEALTH_SERVING = 1;

/** The method paths a session exposes, announced to the engine when the session opens. */
export function methodPaths(definition: ServiceDefinition): string[] {
  return Object.values(definition).map((m) => m.path);
}
