import { pushRegistries, repositoryHost } from './push-registries';
import { registryReference } from './registry-reference';

describe('push registries', () => {
  it('finds the host a repository names, as Docker does', () => {
    expect(repositoryHost('us-docker.pkg.dev/proj/arr/x')).toBe('us-docker.pkg.dev');
    expect(repositoryHost('127.0.0.1:5000/acme/x')).toBe('127.0.0.1:5000');
    expect(repositoryHost('localhost/acme/x')).toBe('localhost');
    expect(repositoryHost('acme/x')).toBeUndefined();
    expect(repositoryHost('x')).toBeUndefined();
  });
  it('pushes to the repository host with no registries configured, under exactly repository:tag', () => {
    const registries = pushRegistries('us-docker.pkg.dev/proj/arr/x', []);
    expect(registries).toEqual(['us-docker.pkg.dev']);
    expect(registryReference(registries[0], 'us-docker.pkg.dev/proj/arr/x', 'v1')).toBe('us-docker.pkg.dev/proj/arr/x:v1');
  });
  it('adds the configured registries after the repository host', () => {
    expect(pushRegistries('127.0.0.1:5000/acme/x', ['127.0.0.1:5001', 'registry.example.com/team'])).toEqual([
      '127.0.0.1:5000',
      '127.0.0.1:5001',
      'registry.example.com/team',
    ]);
  });
  it('lists a registry that gives the same reference once', () => {
    expect(pushRegistries('127.0.0.1:5000/acme/x', ['127.0.0.1:5000', '127.0.0.1:5000/'])).toEqual(['127.0.0.1:5000']);
    // Another path in the same registry is another reference.
    expect(pushRegistries('127.0.0.1:5000/acme/x', ['127.0.0.1:5000/team'])).toEqual(['127.0.0.1:5000', '127.0.0.1:5000/team']);
  });
  it('does not send a repository without a host to Docker Hub', () => {
    expect(pushRegistries('acme/x', [])).toEqual([]);
    expect(pushRegistries('acme/x', ['127.0.0.1:5000'])).toEqual(['127.0.0.1:5000']);
  });
});
