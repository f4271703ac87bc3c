/** Seconds as a person reads them in a log: 4.2s, 37s, 2m05s. */
export function formatSeconds(s: number): string {
  return s < 10
    ? `${s.toFixed(1)}s`
    : s < 120
      ? `${Math.round(s)}s`
      : `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
}

/** Bytes in decimal units, as docker prints them (kB, MB, GB). */
export function formatBytes(n: number): string {
  return n >= 1e9 ? `${(n / 1e9).toFixed(2)} GB` : n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${(n / 1e3).toFixed(0)} kB`;
}
