// A one-line progress display for replay on a terminal: alerts, bytes, rate, ETA.

export interface ProgressSample {
  readonly lines: number;
  readonly bytes: number;
  readonly totalBytes: number;
}

const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

const duration = (seconds: number): string => {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
};

/**
 * Formats one progress line. The rate is alerts/s since the start; the ETA extrapolates the byte
 * rate (bytes are what is known in advance; gzip sizes are on-disk sizes).
 */
export const formatProgress = (sample: ProgressSample, elapsedMs: number): string => {
  const seconds = Math.max(elapsedMs / 1000, 0.001);
  const rate = sample.lines / seconds;
  const fraction = sample.totalBytes > 0 ? Math.min(1, sample.bytes / sample.totalBytes) : 0;
  const eta = fraction > 0 ? (seconds / fraction) * (1 - fraction) : Infinity;
  const percent = sample.totalBytes > 0 ? ` (${Math.floor(fraction * 100)}%)` : '';
  return `replay: ${sample.lines.toLocaleString('en-US')} alerts · ${megabytes(sample.bytes)} / ${megabytes(sample.totalBytes)}${percent} · ${Math.round(rate).toLocaleString('en-US')} alerts/s · ETA ${duration(eta)}`;
};

/**
 * Redraws the line on `stream` every `intervalMs` while running (only when it is a TTY: logs and
 * pipes get no control characters). `stop()` clears the line.
 */
export const startProgressBar = (
  stream: NodeJS.WritableStream & { isTTY?: boolean },
  sample: () => ProgressSample | undefined,
  intervalMs = 200,
): { stop(): void } => {
  if (!stream.isTTY) return { stop: () => undefined };
  const started = Date.now();
  const draw = () => {
    const s = sample();
    if (s) stream.write(`\r\x1b[2K${formatProgress(s, Date.now() - started)}`);
  };
  const timer = setInterval(draw, intervalMs);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      stream.write('\r\x1b[2K');
    },
  };
};
