import { readFileSync } from 'node:fs';
import { Duplex } from 'node:stream';
import { AgentProtocol, utils, type AgentInboundRequest, type ParsedKey } from 'ssh2';

export class KeyAgentError extends Error {}

/** Loads private key files for `ssh ID=KEYFILE`; an encrypted or unreadable key fails here, naming the file. */
export function loadKeys(paths: string[]): ParsedKey[] {
  return paths.map((path) => {
    const parsed: ParsedKey | ParsedKey[] | Error = utils.parseKey(readFileSync(path));
    const key = Array.isArray(parsed) ? parsed[0] : parsed;
    if (!key || key instanceof Error) {
      throw new KeyAgentError(
        `ssh key ${path} could not be read (${key instanceof Error ? key.message : 'no key'}); give an unencrypted private key, or load it into an ssh agent and forward that`,
      );
    }
    if (!key.isPrivateKey()) throw new KeyAgentError(`ssh key ${path} is a public key; give the private key`);
    return key;
  });
}

const SSH_AGENTC_REQUEST_IDENTITIES = 11;
const SSH_AGENTC_SIGN_REQUEST = 13;
const SSH_AGENT_FAILURE = Buffer.from([0, 0, 0, 1, 5]);

/**
 * An ssh agent of our own, speaking the agent protocol (ssh2's AgentProtocol) over one forwarded
 * connection: it lists the given keys and signs with them, as docker's `--ssh id=KEYFILE` does.
 * Messages other than list and sign (OpenSSH 8.9+ first sends a session-bind extension) are
 * answered with a failure here: ssh2's parser does not skip their bodies and would lose its place.
 */
export function serveKeys(keys: ParsedKey[]): Duplex {
  const agent = new AgentProtocol(false);
  agent.on('identities', (req: AgentInboundRequest) => agent.getIdentitiesReply(req, keys));
  agent.on('sign', (req: AgentInboundRequest, pubKey: ParsedKey, data: Buffer, flags: { hash?: string }) => {
    const key = keys.find((k) => k.getPublicSSH().equals(pubKey.getPublicSSH()));
    if (!key) return agent.failureReply(req);
    const signature = key.sign(data, flags.hash);
    if ((signature as unknown) instanceof Error) return agent.failureReply(req);
    agent.signReply(req, signature);
  });
  let pending = Buffer.alloc(0);
  const connection: Duplex = new PassThroughDuplex(
    (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 5 && pending.length >= 4 + pending.readUInt32BE(0)) {
        const frame = pending.subarray(0, 4 + pending.readUInt32BE(0));
        pending = pending.subarray(frame.length);
        if (frame[4] === SSH_AGENTC_REQUEST_IDENTITIES || frame[4] === SSH_AGENTC_SIGN_REQUEST) agent.write(frame);
        else connection.push(SSH_AGENT_FAILURE);
      }
    },
    () => agent.end(),
  );
  agent.on('data', (d: Buffer) => connection.push(d));
  agent.on('end', () => connection.push(null));
  return connection;
}

/** A duplex whose writes go to `onData` and whose readable side is pushed to by its owner. */
class PassThroughDuplex extends Duplex {
  constructor(
    private readonly onData: (chunk: Buffer) => void,
    private readonly onEnd: () => void,
  ) {
    super();
  }
  override _read(): void {}
  override _write(chunk: Buffer, _enc: BufferEncoding, done: (e?: Error | null) => void): void {
    try {
      this.onData(chunk);
      done();
    } catch (e) {
      done(e as Error);
    }
  }
  override _final(done: () => void): void {
    this.onEnd();
    done();
  }
}
