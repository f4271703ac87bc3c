import type * as Protobuf from 'protobufjs/light';

/**
 * BuildKit's progress stream through the Engine API: JSON lines whose `aux` (for id
 * `moby.buildkit.trace`) is a base64 `moby.buildkit.v1.StatusResponse` protobuf.
 * The descriptor below is the subset of buildkit's control.proto we read.
 */
const ts = { fields: { seconds: { type: 'int64', id: 1 }, nanos: { type: 'int32', id: 2 } } };
const descriptor = {
  nested: {
    Timestamp: ts,
    Vertex: {
      fields: {
        digest: { type: 'string', id: 1 },
        inputs: { rule: 'repeated', type: 'string', id: 2 },
        name: { type: 'string', id: 3 },
        cached: { type: 'bool', id: 4 },
        started: { type: 'Timestamp', id: 5 },
        completed: { type: 'Timestamp', id: 6 },
        error: { type: 'string', id: 7 },
      },
    },
    VertexStatus: {
      fields: {
        ID: { type: 'string', id: 1 },
        vertex: { type: 'string', id: 2 },
        name: { type: 'string', id: 3 },
        current: { type: 'int64', id: 4 },
        total: { type: 'int64', id: 5 },
      },
    },
    VertexLog: { fields: { vertex: { type: 'string', id: 1 }, stream: { type: 'int64', id: 3 }, msg: { type: 'bytes', id: 4 } } },
    VertexWarning: { fields: { vertex: { type: 'string', id: 1 }, short: { type: 'bytes', id: 3 } } },
    StatusResponse: {
      fields: {
        vertexes: { rule: 'repeated', type: 'Vertex', id: 1 },
        statuses: { rule: 'repeated', type: 'VertexStatus', id: 2 },
        logs: { rule: 'repeated', type: 'VertexLog', id: 3 },
        warnings: { rule: 'repeated', type: 'VertexWarning', id: 4 },
      },
    },
  },
};

let statusResponse: Protobuf.Type | undefined;
/** The decoder, built on the first BuildKit status: a build the engine answers from an image it has decodes none, and loads no protobufjs. */
function StatusResponseType(): Protobuf.Type {
  statusResponse ??= (require('protobufjs/light') as typeof Protobuf).Root.fromJSON(descriptor).lookupType('StatusResponse');
  return statusResponse;
}

export interface VertexUpdate {
  digest: string;
  name: string;
  cached: boolean;
  started?: number;
  completed?: number;
  error?: string;
}
export interface StatusUpdate {
  vertexes: VertexUpdate[];
  logs: { vertex: string; text: string }[];
  warnings: { vertex: string; text: string }[];
}

const millis = (t?: { seconds?: string | number; nanos?: number } | null) =>
  t && (Number(t.seconds) > 0 || (t.nanos ?? 0) > 0) ? Number(t.seconds) * 1000 + Math.floor((t.nanos ?? 0) / 1e6) : undefined;

export function decodeBuildkitStatus(aux: string): StatusUpdate {
  const StatusResponse = StatusResponseType();
  const m = StatusResponse.toObject(StatusResponse.decode(Buffer.from(aux, 'base64')), { longs: String, defaults: true }) as {
    vertexes: { digest: string; name: string; cached: boolean; started?: never; completed?: never; error: string }[];
    logs: { vertex: string; msg: Uint8Array }[];
    warnings: { vertex: string; short: Uint8Array }[];
  };
  return {
    vertexes: m.vertexes.map((v) => ({
      digest: v.digest,
      name: v.name,
      cached: v.cached,
      started: millis(v.started),
      completed: millis(v.completed),
      ...(v.error ? { error: v.error } : {}),
    })),
    logs: m.logs.map((l) => ({ vertex: l.vertex, text: Buffer.from(l.msg).toString('utf8') })),
    warnings: m.warnings.map((w) => ({ vertex: w.vertex, text: Buffer.from(w.short).toString('utf8') })),
  };
}

/** Encodes a status message: used by tests to feed the decoder real protobuf bytes. */
export function encodeBuildkitStatus(status: object): string {
  const StatusResponse = StatusResponseType();
  return Buffer.from(StatusResponse.encode(StatusResponse.fromObject(status)).finish()).toString('base64');
}
