/**
 * A registry as the plugin takes one: a host with an optional port and path (`registry.example.com`,
 * `localhost:5000/team`), as Docker writes it in a reference. Shared by nx.json's and image.json's
 * `registries`, so both refuse the same values the same way.
 */
export const REGISTRY_NAME = /^[a-z0-9.-]+(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/;

export const REGISTRY_EXAMPLE = 'a registry such as "registry.example.com" or "localhost:5000/team"';

/** What to write instead, for a value with a URL scheme (`http://127.0.0.1:5000/x`): a registry has none. */
export function registryHint(value: string): string | undefined {
  const m = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(value);
  if (!m) return undefined;
  const rest = m[2].replace(/\/+$/, '');
  return REGISTRY_NAME.test(rest) ? `write it without "${m[1]}://": "${rest}"` : `a registry has no "${m[1]}://"`;
}
