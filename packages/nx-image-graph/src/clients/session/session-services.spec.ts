import {
  credentials,
  makeGenericClientConstructor,
  Metadata,
  Server,
  ServerCredentials,
  type Client,
  type ServiceDefinition,
} from '@grpc/grpc-js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server as NetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { authImplementation, dockerConfigCredentials } from './auth-service';
import { authService, secretsService, sshService } from './proto';
import { secretsImplementation } from './secrets-service';
import { sshImplementation } from './ssh-service';

/**
 * The session services over real gRPC, with a client playing BuildKit's part (the engine is the
 * client on the session connection): the same definitions encode both sides.
 */
// makeGenericClientConstructor's methods are untyped: each test calls them as the service defines them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the generic client's methods take and give anything
type GrpcMethod = (...args: any[]) => any;

describe('session services over gRPC', () => {
  const dir = mkdtempSync(join(tmpdir(), 'session-'));
  const agentSocket = join(dir, 'agent.sock');
  let server: Server;
  let agent: NetServer;
  let port: number;
  const client = (definition: ServiceDefinition) =>
    new (makeGenericClientConstructor(definition, 'x'))(`127.0.0.1:${port}`, credentials.createInsecure()) as Client &
      Record<string, GrpcMethod>;
  const unary = (c: Client & Record<string, GrpcMethod>, method: string, request: object) =>
    new Promise<Record<string, unknown>>((resolve, reject) =>
      c[method](request, (e: Error | null, r: Record<string, unknown>) => (e ? reject(e) : resolve(r))),
    );

  beforeAll(async () => {
    writeFileSync(
      join(dir, 'config.json'),
      JSON.stringify({
        auths: {
          'registry-a.example:5001': { auth: Buffer.from('alice:pw-a').toString('base64') },
          'registry-b.example': { identitytoken: 'token-b' },
          'https://index.docker.io/v1/': { auth: Buffer.from('hub:pw-hub').toString('base64') },
        },
      }),
    );
    // A stand-in ssh agent that answers every message with "agent:" + what it got.
    agent = createServer((c) => c.on('data', (d) => c.write(Buffer.concat([Buffer.from('agent:'), d])))).listen(agentSocket);
    server = new Server();
    server.addService(authService, authImplementation(dockerConfigCredentials({ DOCKER_CONFIG: dir })));
    server.addService(secretsService, secretsImplementation(new Map([['hf_token', Buffer.from('hf_value')]])));
    server.addService(sshService, sshImplementation([{ id: 'default', socket: agentSocket }]));
    port = await new Promise((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
    );
  });
  afterAll(() => {
    server.forceShutdown();
    agent.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers credentials per registry host from the Docker config, and none for an unknown host', async () => {
    const auth = client(authService);
    expect(await unary(auth, 'Credentials', { Host: 'registry-a.example:5001' })).toEqual({ Username: 'alice', Secret: 'pw-a' });
    expect(await unary(auth, 'Credentials', { Host: 'registry-b.example' })).toEqual({ Username: '', Secret: 'token-b' });
    expect(await unary(auth, 'Credentials', { Host: 'registry-1.docker.io' })).toEqual({ Username: 'hub', Secret: 'pw-hub' });
    expect(await unary(auth, 'Credentials', { Host: 'elsewhere.example' })).toEqual({ Username: '', Secret: '' });
    await expect(unary(auth, 'FetchToken', { Host: 'registry-a.example:5001' })).rejects.toMatchObject({ code: 12 /* UNIMPLEMENTED */ });
  });

  it('gives a secret by id, and NOT_FOUND for another', async () => {
    const secrets = client(secretsService);
    expect(Buffer.from((await unary(secrets, 'GetSecret', { ID: 'hf_token' })).data as Buffer).toString()).toBe('hf_value');
    await expect(unary(secrets, 'GetSecret', { ID: 'other' })).rejects.toMatchObject({ code: 5 /* NOT_FOUND */ });
  });

  it('forwards an ssh id to its agent socket, both ways, and says which ids it has', async () => {
    const ssh = client(sshService);
    expect(await unary(ssh, 'CheckAgent', { ID: 'default' })).toEqual({});
    await expect(unary(ssh, 'CheckAgent', { ID: 'deploy' })).rejects.toMatchObject({
      code: 5,
      details: expect.stringContaining('--ssh=deploy'),
    });
    const metadata = new Metadata();
    metadata.set('buildkit.ssh.id', 'default');
    const stream = ssh.ForwardAgent(metadata);
    // Ending our side closes the agent connection, which ends the call: its status is not under test.
    stream.on('error', () => undefined);
    const answer = new Promise<string>((resolve) => stream.on('data', (m: { data: Buffer }) => resolve(Buffer.from(m.data).toString())));
    stream.write({ data: Buffer.from('hello') });
    expect(await answer).toBe('agent:hello');
    stream.end();
  });
});
