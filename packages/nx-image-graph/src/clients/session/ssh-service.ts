import {
  Metadata,
  status,
  type sendUnaryData,
  type ServerDuplexStream,
  type ServerUnaryCall,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import { loadKeys, serveKeys } from './key-agent';
import type { SshSource } from './ssh-sources';

/** BuildKit names the ssh id of a forwarded connection in this metadata key. */
const SSH_ID_KEY = 'buildkit.ssh.id';

/**
 * moby.sshforward.v1.SSH: for each `RUN --mount=type=ssh` connection BuildKit opens a
 * ForwardAgent stream; its bytes go to the agent socket of that id (or to our own agent for key
 * files) and back. CheckAgent says whether an id is forwarded at all.
 */
export function sshImplementation(sources: SshSource[]): UntypedServiceImplementation {
  const byId = new Map(sources.map((s) => [s.id, s]));
  // Keys are parsed once, before the build: a bad key file fails then, not mid-step.
  const keys = new Map(sources.flatMap((s) => ('keys' in s ? [[s.id, loadKeys(s.keys)] as const] : [])));
  return {
    CheckAgent(call: ServerUnaryCall<{ ID: string }, unknown>, callback: sendUnaryData<object>) {
      const id = call.request.ID || 'default';
      if (byId.has(id)) return callback(null, {});
      callback({
        code: status.NOT_FOUND,
        details: `no ssh agent or key forwarded under id "${id}" (give --ssh=${id} or "ssh": ["${id}"])`,
      });
    },
    ForwardAgent(call: ServerDuplexStream<{ data: Buffer }, { data: Buffer }>) {
      const id = idOf(call.metadata);
      const source = byId.get(id);
      if (!source) return call.destroy(Object.assign(new Error(`no ssh agent forwarded under id "${id}"`), { code: status.NOT_FOUND }));
      const agent: Duplex = 'socket' in source ? connect(source.socket) : serveKeys(keys.get(id)!);
      call.on('data', (m: { data: Buffer }) => agent.write(m.data));
      call.on('end', () => agent.end());
      call.on('error', () => agent.destroy());
      call.on('cancelled', () => agent.destroy());
      agent.on('data', (data: Buffer) => call.write({ data }));
      agent.on('end', () => call.end());
      agent.on('close', () => call.end());
      agent.on('error', (e) => call.destroy(Object.assign(e, { code: status.UNAVAILABLE })));
    },
  };
}

function idOf(metadata: Metadata): string {
  const v = metadata.get(SSH_ID_KEY)[0];
  return v ? String(v) : 'default';
}
