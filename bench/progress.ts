/** A one-line progress bar on stderr (redrawn in place on a terminal, one line per phase otherwise). */

export function renderBar(label: string, done: number, total: number, elapsedS: number, width = 30): string {
  const fraction = total > 0 ? Math.min(1, Math.max(0, done / total)) : 1;
  const filled = Math.round(fraction * width);
  const rate = elapsedS > 0 ? done / elapsedS : 0;
  const rateText = rate >= 1000 ? `${Math.round(rate / 1000)}k/s` : `${Math.round(rate)}/s`;
  return `${label.padEnd(12)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.round(fraction * 100)).padStart(3)}% ${done}/${total} ${elapsedS.toFixed(1)}s ${rateText}`;
}

export function progressReporter(stream: NodeJS.WriteStream = process.stderr) {
  const started = performance.now();
  let phase = '';
  let phaseStarted = started;
  let lastDraw = 0;
  const tty = stream.isTTY === true;
  return {
    update(label: string, done: number, total: number) {
      const now = performance.now();
      if (label !== phase) {
        if (phase && tty) stream.write('\n');
        phase = label;
        phaseStarted = now;
      }
      const finished = done >= total;
      if (!finished && now - lastDraw < 100) return;
      lastDraw = now;
      const text = renderBar(label, done, total, (now - phaseStarted) / 1000);
      if (tty) stream.write(`\r${text}`);
      else if (finished) stream.write(`${text}\n`);
    },
    end() {
      if (phase && tty) stream.write('\n');
      return (performance.now() - started) / 1000;
    },
  };
}
