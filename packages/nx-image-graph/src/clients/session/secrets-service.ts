import { status, type sendUnaryData, type ServerUnaryCall, type UntypedServiceImplementation } from '@grpc/grpc-js';

/**
 * moby.buildkit.secrets.v1.Secrets: BuildKit asks for a secret by id when a RUN step mounts it.
 * The value goes only over the session, into the step's tmpfs mount: never into a layer, the
 * history, a log or the cache key. An id with no value is NOT_FOUND, which BuildKit reads as
 * "secret not found" (an empty mount, or a failed step for `required=true`).
 */
export function secretsImplementation(values: Map<string, Buffer>): UntypedServiceImplementation {
  return {
    GetSecret(call: ServerUnaryCall<{ ID: string }, unknown>, callback: sendUnaryData<{ data: Buffer }>) {
      const value = values.get(call.request.ID);
      if (value === undefined) return callback({ code: status.NOT_FOUND, details: `secret ${call.request.ID} not found` });
      callback(null, { data: value });
    },
  };
}
