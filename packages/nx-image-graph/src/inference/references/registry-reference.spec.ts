import { contentTag, registryReference, splitReference } from './registry-reference';

describe('registry references', () => {
  it('puts the repository under the registry', () => {
    expect(registryReference('127.0.0.1:5000', 'acme/asr', 'cpu')).toBe('127.0.0.1:5000/acme/asr:cpu');
  });
  it('keeps a registry path prefix', () => {
    expect(registryReference('registry.example.com/team/', 'acme/asr', 'cpu')).toBe('registry.example.com/team/acme/asr:cpu');
  });
  it('replaces a host already in the repository', () => {
    expect(registryReference('127.0.0.1:5000', 'ghcr.io/acme/asr', 'cpu')).toBe('127.0.0.1:5000/acme/asr:cpu');
  });
  it('splits host:port/repo:tag at the tag, not at the port', () => {
    expect(splitReference('127.0.0.1:5000/acme/asr:cpu')).toEqual({ repo: '127.0.0.1:5000/acme/asr', tag: 'cpu' });
    expect(splitReference('127.0.0.1:5000/acme/asr')).toEqual({ repo: '127.0.0.1:5000/acme/asr', tag: 'latest' });
  });
  it('derives the content tag from the Nx hash', () => {
    expect(contentTag('123456')).toBe('nx-123456');
  });
});
