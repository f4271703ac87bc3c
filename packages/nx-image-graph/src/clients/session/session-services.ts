import { authImplementation, dockerConfigCredentials } from './auth-service';
import type { SessionService } from './build-session';
import { authService, secretsService, sshService } from './proto';
import type { BuildSessionPlan } from './session-settings';
import { secretsImplementation } from './secrets-service';
import { sshImplementation } from './ssh-service';

/**
 * The gRPC services a build's session answers: registry credentials per host, always; the
 * secrets and the ssh agents it was given. This module loads gRPC and protobufjs (about 90 ms
 * of a task), so the executor requires it only for a build that opens a session.
 */
export function sessionServices(plan: Pick<BuildSessionPlan, 'secrets' | 'ssh'>, env: NodeJS.ProcessEnv = process.env): SessionService[] {
  const services: SessionService[] = [{ definition: authService, implementation: authImplementation(dockerConfigCredentials(env)) }];
  if (plan.secrets.size) services.push({ definition: secretsService, implementation: secretsImplementation(plan.secrets) });
  if (plan.ssh.length) services.push({ definition: sshService, implementation: sshImplementation(plan.ssh) });
  return services;
}
