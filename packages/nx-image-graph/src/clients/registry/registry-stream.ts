/** One JSON message of the engine's push or pull stream; `id` names a layer (12 hex digits) when there is one. */
export interface RegistryMessage {
  status?: string;
  id?: string;
  progressDetail?: { current?: number; total?: number };
  error?: string;
  errorDetail?: { message?: string };
  aux?: { Digest?: string };
}

/**
 * Reads a push or pull JSON stream to its end: the digest it reports, the layers (by id) it
 * uploaded and those the registry had (already there, or mounted from another repository), and
 * the error if any. `onMessage` sees each message as it comes (push progress).
 */
export async function readRegistryStream(
  stream: NodeJS.ReadableStream,
  onMessage?: (msg: RegistryMessage) => void,
): Promise<{ digest?: string; uploaded: string[]; existing: string[]; error?: string }> {
  let buffer = '';
  let digest: string | undefined;
  let error: string | undefined;
  const uploaded = new Set<string>();
  const existing = new Set<string>();
  const handle = (line: string) => {
    if (!line.trim()) return;
    let msg: RegistryMessage;
    try {
      msg = JSON.parse(line);
    } catch {
      return;
    }
    onMessage?.(msg);
    if (msg.error || msg.errorDetail) error = msg.errorDetail?.message ?? msg.error;
    if (msg.aux?.Digest) digest = msg.aux.Digest;
    const m = msg.status && /digest: (sha256:[0-9a-f]{64})/.exec(msg.status);
    if (m) digest = m[1];
    if (msg.status === 'Pushed' && msg.id) uploaded.add(msg.id);
    if (msg.id && (msg.status === 'Layer already exists' || msg.status?.startsWith('Mounted from '))) existing.add(msg.id);
    const pulled = msg.status && /^Digest: (sha256:[0-9a-f]{64})/.exec(msg.status);
    if (pulled) digest = pulled[1];
  };
  await new Promise<void>((resolve, reject) => {
    stream.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      lines.forEach(handle);
    });
    stream.on('end', () => resolve());
    stream.on('error', reject);
  });
  handle(buffer);
  return { digest, uploaded: [...uploaded], existing: [...existing].filter((id) => !uploaded.has(id)), error };
}

/** Errors worth another try: the network or the registry's own trouble, not a refusal. */
export function isTransient(message: string): boolean {
  return /ECONNRESET|ECONNREFUSED|ETIMEDOUT|EPIPE|socket hang up|connection reset|broken pipe|i\/o timeout|TLS handshake timeout|50[0234]|Service Unavailable|Bad Gateway|Gateway Time-?out|Internal Server Error|too many requests|429/i.test(
    message,
  );
}

/** A refusal for want of (right) credentials; "no basic auth credentials" is the engine's word when it has none to send. */
export function isAuthFailure(message: string): boolean {
  return /unauthorized|authentication required|denied|401|403|incorrect username or password|no basic auth credentials/i.test(message);
}
