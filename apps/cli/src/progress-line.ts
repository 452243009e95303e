import { type CommandContext } from './command';

/**
 * Progress for long operations (reloads, rekeys): one line redrawn in place on a terminal; on a
 * pipe or in CI, a plain line at most once a second so logs stay readable. `line()` prints a line
 * that stays (a reload's statements) above the progress line.
 */
export function progressLine(ctx: CommandContext, stream: NodeJS.WriteStream = process.stderr) {
  const tty = stream.isTTY === true;
  let last = 0;
  let shown = false;
  let current = '';
  return {
    /** A line that stays (a statement that ran, a TRACE); on a terminal the progress line is redrawn under it. */
    line(text: string): void {
      if (!tty) {
        ctx.warn(text);
        return;
      }
      stream.write(`\r\u001b[2K${text}\n`);
      if (shown) stream.write(current.slice(0, (stream.columns ?? 100) - 1));
    },
    update(text: string): void {
      if (tty) {
        current = text;
        stream.write(`\r\u001b[2K${text.slice(0, (stream.columns ?? 100) - 1)}`);
        shown = true;
        return;
      }
      const now = Date.now();
      if (now - last >= 1000) {
        last = now;
        ctx.warn(text);
      }
    },
    done(): void {
      if (tty && shown) stream.write('\r\u001b[2K');
    },
  };
}
