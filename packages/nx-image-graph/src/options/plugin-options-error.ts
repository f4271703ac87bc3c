/** Invalid plugin options: the message names nx.json, each option and what it takes. */
export class PluginOptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PluginOptionsError';
  }
}
