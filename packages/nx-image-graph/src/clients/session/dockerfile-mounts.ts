/** A `RUN --mount=type=secret|ssh` of a Dockerfile: what the build will ask the session for. */
export interface SessionMount {
  type: 'secret' | 'ssh';
  id: string;
  required: boolean;
  /** 1-based line of the RUN instruction. */
  line: number;
}

/**
 * The secret and ssh mounts of a Dockerfile's RUN instructions, with BuildKit's defaults: a
 * secret's id is its target's base name (default target /run/secrets/<id>), an ssh mount's id is
 * "default"; neither is required unless `required` (or `required=true`) says so.
 * Read from the text, line continuations joined: only the --mount flags matter here.
 */
export function sessionMounts(dockerfileText: string): SessionMount[] {
  const escape = /^#\s*escape\s*=\s*`/im.test(dockerfileText.split('\n').slice(0, 5).join('\n')) ? '`' : '\\';
  const lines = dockerfileText.split(/\r?\n/);
  const mounts: SessionMount[] = [];
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let text = lines[i];
    while (text.trimEnd().endsWith(escape) && i + 1 < lines.length) text = text.trimEnd().slice(0, -1) + ' ' + lines[++i];
    if (!/^\s*RUN\s/i.test(text)) continue;
    for (const m of text.matchAll(/--mount=(?:"([^"]*)"|(\S+))/g)) {
      const fields = new Map<string, string | undefined>();
      for (const part of (m[1] ?? m[2]).split(',')) {
        const eq = part.indexOf('=');
        fields.set((eq < 0 ? part : part.slice(0, eq)).toLowerCase(), eq < 0 ? undefined : part.slice(eq + 1));
      }
      const type = fields.get('type');
      if (type !== 'secret' && type !== 'ssh') continue;
      const required = fields.has('required') && fields.get('required') !== 'false';
      const target = fields.get('target') ?? fields.get('dst') ?? fields.get('destination');
      const id = fields.get('id') ?? (type === 'ssh' ? 'default' : target ? (target.split('/').filter(Boolean).pop() ?? '') : '');
      mounts.push({ type, id, required, line: start + 1 });
    }
  }
  return mounts;
}
