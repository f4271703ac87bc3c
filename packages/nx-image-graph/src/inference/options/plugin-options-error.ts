/** Invalid plugin options: the message names nx.json, each option and what it takes. */
export class PluginOptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PluginOptionsError';
    // A user's mistake, not the plugin's: Nx prints an error's stack where it has one, and this one says all there is.
    this.stack = message;
  }
}
